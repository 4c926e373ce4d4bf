#pragma once
#include <nlohmann/json.hpp>

#include "platform/web/app.hpp"
#include "practices/model.hpp"

namespace passerelle::practices {

// GET/POST /api/v1/practices, GET/PUT /api/v1/practices/{id} (described in web/openapi/practices.json).
void register_api(web::App& app);

// The JSON form of a sheet used by the API (French keys, as the other APIs of Passerelle).
nlohmann::json to_api_json(const Practice& p);
// Reads the JSON body of POST/PUT into an Input; type errors name the JSON field.
Input input_from_api_json(const nlohmann::json& doc, Errors& errors);
// Field of a model error ("contact_email", "links[2].url") as named in the JSON ("contact.email", "liens[2].url").
std::string api_field(std::string_view model_field);

}  // namespace passerelle::practices
