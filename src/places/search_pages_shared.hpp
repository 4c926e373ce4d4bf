#pragma once
// Pieces shared by /lieux and /lieux/orientation (search_pages.cpp, orientation_pages.cpp).
#include <string>

#include "places/search.hpp"
#include "places/search_request.hpp"
#include "platform/html/builder.hpp"
#include "platform/web/app.hpp"
#include "platform/web/layout.hpp"

namespace passerelle::places::pages {

// "1,2 km", "350 m".
std::string distance_text(web::Context& ctx, double km);
// One result of a list: name (a link to /lieux/{id}), address, distance, open or not, phone.
// `when`: the label of the time asked ("maintenant" when empty).
void result_item(html::Builder& b, web::Context& ctx, const Hit& hit, bool open_filter, std::string_view heading = "h3");
// The request's query string without `page`, then `page=n` when n > 1.
std::string page_url(web::Context& ctx, std::string_view path, size_t page);
void pagination(html::Builder& b, web::Context& ctx, std::string_view path, size_t page, size_t per_page, uint64_t total);
// The error summary of a bad parameter (the field's id is "champ-<param>").
web::FormErrors errors_of(const Error& e);

}  // namespace passerelle::places::pages
