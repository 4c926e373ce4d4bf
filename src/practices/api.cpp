#include "practices/api.hpp"

#include "platform/core/strings.hpp"
#include "practices/store.hpp"
#include "territories/store.hpp"

namespace passerelle::practices {

namespace {

// JSON key of each taxonomy in the API.
std::string_view api_taxonomy_key(Taxonomy t) {
  switch (t) {
    case Taxonomy::theme: return "thematiques";
    case Taxonomy::resource_type: return "types_de_ressource";
    case Taxonomy::public_: return "publics";
    case Taxonomy::sector: return "secteurs";
  }
  return "thematiques";
}

// Query parameter of each taxonomy filter: French first, English accepted.
std::pair<std::string_view, std::string_view> api_filter_names(Taxonomy t) {
  switch (t) {
    case Taxonomy::theme: return {"thematique", "theme"};
    case Taxonomy::resource_type: return {"type", "resource_type"};
    case Taxonomy::public_: return {"public", "audience"};
    case Taxonomy::sector: return {"secteur", "sector"};
  }
  return {"thematique", "theme"};
}

http::Response validation_response(web::Context& ctx, const Errors& errors) {
  Error first = errors.front();
  first.field = api_field(first.field);
  auto res = ctx.app.error_response(ctx, first);
  auto doc = nlohmann::json::parse(res.body, nullptr, false);
  if (doc.is_discarded()) return res;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& e : errors) all.push_back({{"champ", api_field(e.field)}, {"message", ctx.t(e)}});
  doc["error"]["erreurs"] = all;
  res.body = doc.dump();
  return res;
}

http::Response error(web::Context& ctx, const Error& e) {
  if (e.kind == ErrorKind::validation) return validation_response(ctx, {e});
  Error named = e;
  named.field = api_field(e.field);
  return ctx.app.error_response(ctx, named);
}

std::optional<nlohmann::json> parse_object(web::Context& ctx) {
  auto doc = nlohmann::json::parse(ctx.req.body(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

// The status a POST/PUT asks for with "statut", if any.
Result<std::optional<Status>> requested_status(const nlohmann::json& doc) {
  if (!doc.contains("statut")) return std::optional<Status>();
  if (!doc["statut"].is_string()) return Error::validation("statut", "practices.api_bad_field");
  auto s = parse_status(doc["statut"].get<std::string>());
  if (!s || *s == Status::trashed) return Error::validation("statut", "practices.status_conflict");
  return s;
}

passerelle::Status apply_status(db::Database& db, const Practice& p, Status wanted, int64_t actor) {
  if (wanted == p.status) return Ok{};
  switch (wanted) {
    case Status::published: return publish(db, p.id, actor);
    case Status::unpublished: return unpublish(db, p.id, actor);
    case Status::draft: return p.status == Status::trashed ? restore(db, p.id, actor) : Error::conflict("statut", "practices.status_conflict");
    case Status::trashed: return trash(db, p.id, actor);
  }
  return Ok{};
}

size_t query_number(const http::Fields& q, std::string_view fr, std::string_view en, size_t fallback, size_t max) {
  auto v = q.get(fr);
  if (!v) v = q.get(en);
  if (!v) return fallback;
  auto n = str::to_int(*v);
  if (!n || *n < 1) return fallback;
  return std::min(static_cast<size_t>(*n), max);
}

}  // namespace

std::string api_field(std::string_view f) {
  static const std::pair<std::string_view, std::string_view> names[] = {
      {"title", "titre"},           {"summary", "resume"},      {"body", "description"},       {"communes", "communes"},
      {"themes", "thematiques"},    {"types", "types_de_ressource"}, {"publics", "publics"}, {"sectors", "secteurs"},
      {"cost", "cout"},             {"cost_amount", "montant"}, {"partners", "partenaires"},   {"contact_name", "contact.nom"},
      {"contact_email", "contact.email"}, {"contact_phone", "contact.telephone"}, {"links", "liens"}, {"licence", "licence"},
  };
  for (const auto& [model, json] : names)
    if (f == model) return std::string(json);
  if (f.starts_with("links[")) {  // links[2].url → liens[2].url, links[2].title → liens[2].titre
    std::string out = "liens" + std::string(f.substr(5));
    if (out.ends_with(".title")) out.replace(out.size() - 5, 5, "titre");
    return out;
  }
  return std::string(f);
}

nlohmann::json to_api_json(const Practice& p) {
  nlohmann::json j = {{"id", p.id},
                      {"url", "/pratiques/" + std::to_string(p.id)},
                      {"statut", status_name(p.status)},
                      {"titre", p.title},
                      {"resume", p.summary},
                      {"description", p.body},
                      {"territoire", {{"slug", p.territory_slug}, {"nom", p.territory_name}}},
                      {"communes", p.communes}};
  for (Taxonomy t : kTaxonomies) {
    nlohmann::json terms = nlohmann::json::array();
    for (const auto& slug : p.slugs(t)) terms.push_back({{"slug", slug}, {"libelle", label_of(t, slug).value_or(slug)}});
    j[std::string(api_taxonomy_key(t))] = terms;
  }
  j["cout"] = p.cost;
  j["montant_centimes"] = p.cost_cents ? nlohmann::json(*p.cost_cents) : nlohmann::json(nullptr);
  j["partenaires"] = p.partners;
  j["contact"] = {{"nom", p.contact.name}, {"email", p.contact.email}, {"telephone", p.contact.phone}};
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : p.links) links.push_back({{"url", l.url}, {"titre", l.title}});
  j["liens"] = links;
  const Licence* licence = find_licence(p.licence);
  j["licence"] = {{"id", p.licence}, {"nom", licence ? licence->label : ""}, {"url", licence ? licence->url : ""}};
  nlohmann::json files = nlohmann::json::array();
  for (const auto& a : p.attachments)
    files.push_back({{"id", a.id},
                     {"type", attachment_kind_name(a.kind)},
                     {"nom", a.name},
                     {"type_mime", a.content_type},
                     {"taille", a.size},
                     {"texte_alternatif", a.alt},
                     {"legende", a.caption},
                     {"url", "/fichiers/" + std::to_string(a.file_id)}});
  j["pieces_jointes"] = files;
  if (p.provenance) {
    const auto& pr = *p.provenance;
    j["provenance"] = {{"territoire", pr.territory_name},
                       {"credit", pr.credit},
                       {"fiche_origine", pr.origin_practice_id ? nlohmann::json(*pr.origin_practice_id) : nlohmann::json(nullptr)},
                       {"instance", pr.instance_url},
                       {"id_origine", pr.origin_id},
                       {"modifiee_localement", pr.locally_modified}};
  } else {
    j["provenance"] = nullptr;
  }
  j["reutilisations"] = p.reuse_count;
  j["version"] = p.version;
  j["cree_le"] = p.created_at;
  j["modifie_le"] = p.updated_at;
  j["publie_le"] = p.published_at ? nlohmann::json(*p.published_at) : nlohmann::json(nullptr);
  return j;
}

Input input_from_api_json(const nlohmann::json& doc, Errors& errors) {
  Input in;
  auto bad = [&](std::string field) { errors.push_back(Error::validation(std::move(field), "practices.api_bad_field")); };
  auto text = [&](const nlohmann::json& o, const char* key, std::string_view field, std::string& out) {
    if (!o.contains(key) || o[key].is_null()) return;
    if (o[key].is_string()) out = o[key].get<std::string>();
    else bad(std::string(field));
  };
  // Lists of strings; taxonomy entries may also be {"slug": …} objects as the API returns them.
  auto list = [&](const char* key, std::vector<std::string>& out) {
    if (!doc.contains(key) || doc[key].is_null()) return;
    if (!doc[key].is_array()) return bad(key);
    for (const auto& v : doc[key]) {
      if (v.is_string()) out.push_back(v.get<std::string>());
      else if (v.is_object() && v.contains("slug") && v["slug"].is_string()) out.push_back(v["slug"].get<std::string>());
      else return bad(key);
    }
  };
  text(doc, "titre", "titre", in.title);
  text(doc, "resume", "resume", in.summary);
  text(doc, "description", "description", in.body);
  list("communes", in.communes);
  for (Taxonomy t : kTaxonomies) list(std::string(api_taxonomy_key(t)).c_str(), in.slugs(t));
  text(doc, "cout", "cout", in.cost);
  if (doc.contains("montant_centimes") && !doc["montant_centimes"].is_null()) {
    if (doc["montant_centimes"].is_number_integer() && doc["montant_centimes"].get<int64_t>() >= 0) {
      int64_t cents = doc["montant_centimes"].get<int64_t>();
      in.cost_amount = std::to_string(cents / 100) + "," + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
    } else {
      bad("montant_centimes");
    }
  } else if (doc.contains("montant") && !doc["montant"].is_null()) {
    if (doc["montant"].is_string()) in.cost_amount = doc["montant"].get<std::string>();
    else if (doc["montant"].is_number()) in.cost_amount = doc["montant"].dump();
    else bad("montant");
  }
  list("partenaires", in.partners);
  if (doc.contains("contact") && !doc["contact"].is_null()) {
    const auto& c = doc["contact"];
    if (!c.is_object()) bad("contact");
    else {
      text(c, "nom", "contact.nom", in.contact.name);
      text(c, "email", "contact.email", in.contact.email);
      text(c, "telephone", "contact.telephone", in.contact.phone);
    }
  }
  if (doc.contains("liens") && !doc["liens"].is_null()) {
    if (!doc["liens"].is_array()) bad("liens");
    else
      for (size_t i = 0; i < doc["liens"].size(); ++i) {
        const auto& l = doc["liens"][i];
        std::string prefix = "liens[" + std::to_string(i) + "].";
        if (!l.is_object()) {
          bad("liens[" + std::to_string(i) + "]");
          continue;
        }
        Link link;
        text(l, "url", prefix + "url", link.url);
        text(l, "titre", prefix + "titre", link.title);
        in.links.push_back(std::move(link));
      }
  }
  if (doc.contains("licence") && !doc["licence"].is_null()) {
    if (doc["licence"].is_string()) in.licence = doc["licence"].get<std::string>();
    else if (doc["licence"].is_object() && doc["licence"].contains("id") && doc["licence"]["id"].is_string())
      in.licence = doc["licence"]["id"].get<std::string>();
    else bad("licence");
  }
  return in;
}

void register_api(web::App& app) {
  app.api(http::Method::get, "/api/v1/practices", "api-pratiques", [](web::Context& ctx) {
    const auto& q = ctx.req.query_fields();
    Filter filter;
    auto territory = q.get("territoire");
    if (!territory) territory = q.get("territory");
    if (territory && !territory->empty()) {
      auto t = territories::find(ctx.app.db(), *territory);
      if (!t) return ctx.app.error_response(ctx, Error::validation("territoire", "practices.territory_not_found"));
      filter.territory_id = t->id;
    }
    for (Taxonomy t : kTaxonomies) {
      auto [fr, en] = api_filter_names(t);
      for (const auto& [name, value] : q.all()) {
        if (name != fr && name != en) continue;
        for (auto& v : split_list(value)) filter.slugs(t).push_back(v);
      }
    }
    size_t per_page = query_number(q, "par_page", "per_page", 20, 100);
    size_t page = query_number(q, "page", "page", 1, 100000);
    filter.limit = per_page;
    filter.offset = (page - 1) * per_page;
    auto result = list_published(ctx.app.db(), filter);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& p : result.items) items.push_back(to_api_json(p));
    return http::Response::json(nlohmann::json{{"total", result.total}, {"page", page}, {"par_page", per_page}, {"pratiques", items}}.dump());
  });

  app.api(http::Method::get, "/api/v1/practices/{id}", "api-pratique", [](web::Context& ctx) {
    auto id = str::to_int(ctx.req.param("id"));
    if (!id) return ctx.app.error_response(ctx, 404, ctx.t("practices.not_found"));
    auto p = get(ctx.app.db(), *id, viewer_of(ctx.account));
    if (!p) return error(ctx, p.error());
    return http::Response::json(to_api_json(*p).dump());
  });

  app.api(http::Method::post, "/api/v1/practices", "api-pratiques", [](web::Context& ctx) {
    if (!ctx.account) return ctx.app.error_response(ctx, 401);
    auto doc = parse_object(ctx);
    if (!doc) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
    std::string slug = (*doc).contains("territoire") && (*doc)["territoire"].is_string() ? (*doc)["territoire"].get<std::string>() : "";
    if (slug.empty()) return error(ctx, Error::validation("territoire", "practices.api_territory_required"));
    auto territory = territories::find(ctx.app.db(), slug);
    if (!territory) return error(ctx, Error::validation("territoire", "practices.territory_not_found"));
    Viewer viewer = viewer_of(ctx.account);
    if (!viewer.edits(territory->id)) return ctx.app.error_response(ctx, 403, ctx.t("practices.api_forbidden"));
    auto wanted = requested_status(*doc);
    if (!wanted) return error(ctx, wanted.error());
    Errors errors;
    Input input = input_from_api_json(*doc, errors);
    if (!errors.empty()) return validation_response(ctx, errors);
    auto created = create(ctx.app.db(), territory->id, input, ctx.account->id, errors);
    if (!created) return errors.empty() ? error(ctx, created.error()) : validation_response(ctx, errors);
    if (*wanted && **wanted != Status::draft) {
      if (auto s = apply_status(ctx.app.db(), *created, **wanted, ctx.account->id); !s) return error(ctx, s.error());
      created = *find(ctx.app.db(), created->id);
    }
    return http::Response::json(to_api_json(*created).dump(), 201).header("Location", "/api/v1/practices/" + std::to_string(created->id));
  });

  app.api(http::Method::put, "/api/v1/practices/{id}", "api-pratique", [](web::Context& ctx) {
    if (!ctx.account) return ctx.app.error_response(ctx, 401);
    auto id = str::to_int(ctx.req.param("id"));
    if (!id) return ctx.app.error_response(ctx, 404, ctx.t("practices.not_found"));
    Viewer viewer = viewer_of(ctx.account);
    auto existing = get(ctx.app.db(), *id, viewer);
    if (!existing) return error(ctx, existing.error());
    if (!can_edit(viewer, *existing)) return ctx.app.error_response(ctx, 403, ctx.t("practices.api_forbidden"));
    auto doc = parse_object(ctx);
    if (!doc) return ctx.app.error_response(ctx, 400, ctx.t("api.bad_json"));
    auto wanted = requested_status(*doc);
    if (!wanted) return error(ctx, wanted.error());
    Practice saved = std::move(*existing);
    // {"statut": …} alone changes the status only; anything else replaces the content (new version).
    bool status_only = doc->size() == 1 && *wanted;
    if (!status_only) {
      Errors errors;
      Input input = input_from_api_json(*doc, errors);
      if (!errors.empty()) return validation_response(ctx, errors);
      auto updated = update(ctx.app.db(), *id, input, ctx.account->id, errors);
      if (!updated) return errors.empty() ? error(ctx, updated.error()) : validation_response(ctx, errors);
      saved = std::move(*updated);
    }
    if (*wanted) {
      if (auto s = apply_status(ctx.app.db(), saved, **wanted, ctx.account->id); !s) return error(ctx, s.error());
      saved = *find(ctx.app.db(), *id);
    }
    return http::Response::json(to_api_json(saved).dump());
  });
}

}  // namespace passerelle::practices
