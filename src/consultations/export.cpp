#include "consultations/export.hpp"

#include <nlohmann/json.hpp>

#include "consultations/store.hpp"
#include "platform/core/csv.hpp"
#include "platform/i18n/format.hpp"
#include "restitution/engine.hpp"

namespace passerelle::consultations {

namespace {

constexpr size_t kBatch = 2000;
const char* const kColumns[] = {"numero", "rubrique", "titre", "texte", "auteur", "canal", "date", "d_accord", "mitige", "pas_d_accord",
                                "soutiens", "arguments_pour", "arguments_contre", "commentaires", "reponse", "texte_reponse"};

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view s) {
  if (s == "csv") return ExportFormat::csv_semicolon;
  if (s == "csv-virgule") return ExportFormat::csv_comma;
  if (s == "json") return ExportFormat::json;
  return std::nullopt;
}

Result<int64_t> write_export(db::Database& db, int64_t process_id, ExportFormat format, std::ostream& out) {
  auto p = find_process(db, process_id);
  if (!p || p->status != ProcessStatus::published) return Error::not_found("consultations.not_found");
  const restitution::Masks masks{"[courriel masqué]", "[téléphone masqué]"};
  char sep = format == ExportFormat::csv_comma ? ',' : ';';
  std::string buf;
  if (format == ExportFormat::json) {
    nlohmann::json head = {{"consultation", p->id}, {"titre", p->title}, {"territoire", p->territory_slug}, {"licence", "Licence Ouverte 2.0"}};
    std::string h = head.dump();
    h.pop_back();  // the contributions array goes inside the same object
    out << h << ",\"contributions\":[";
  } else {
    if (sep == ';') buf += "\xEF\xBB\xBF";  // French spreadsheets read UTF-8 only with a byte-order mark
    for (size_t i = 0; i < std::size(kColumns); ++i) {
      if (i) buf += sep;
      buf += kColumns[i];
    }
    buf += "\r\n";
  }
  int64_t count = 0, after = 0;
  auto conn = db.read();
  for (;;) {
    auto rows = conn->query(
        "SELECT c.id, c.section, c.title, c.body, COALESCE(u.display_name, pa.display_name, ''), c.channel, c.created_at, c.agree_count, "
        "c.mixed_count, c.disagree_count, c.support_count, c.for_count, c.against_count, c.comment_count, COALESCE(c.answer_kind, ''), c.answer_text "
        "FROM contributions c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN participants pa ON pa.id = c.participant_id "
        "WHERE c.process_id = ? AND c.status = 'published' AND c.id > ? ORDER BY c.id LIMIT ?",
        {process_id, after, static_cast<int64_t>(kBatch)});
    if (rows.empty()) break;
    for (auto r : rows) {
      after = r.int64(0);
      std::string title = restitution::mask_personal_data(r.text(2), masks), body = restitution::mask_personal_data(r.text(3), masks);
      std::string answer_text = restitution::mask_personal_data(r.text(15), masks);
      std::string date = i18n::iso_date(r.int64(6));
      if (format == ExportFormat::json) {
        nlohmann::json j = {{"numero", r.int64(0)}, {"rubrique", r.text(1)}, {"titre", title}, {"texte", body}, {"auteur", r.text(4)},
                            {"canal", r.text(5)}, {"date", date}, {"d_accord", r.int64(7)}, {"mitige", r.int64(8)}, {"pas_d_accord", r.int64(9)},
                            {"soutiens", r.int64(10)}, {"arguments_pour", r.int64(11)}, {"arguments_contre", r.int64(12)},
                            {"commentaires", r.int64(13)}, {"reponse", r.text(14)}, {"texte_reponse", answer_text}};
        if (count) buf += ',';
        buf += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      } else {
        std::string cells[] = {std::to_string(r.int64(0)), r.str(1), title, body, r.str(4), r.str(5), date, std::to_string(r.int64(7)),
                               std::to_string(r.int64(8)), std::to_string(r.int64(9)), std::to_string(r.int64(10)), std::to_string(r.int64(11)),
                               std::to_string(r.int64(12)), std::to_string(r.int64(13)), r.str(14), answer_text};
        for (size_t i = 0; i < std::size(cells); ++i) {
          if (i) buf += sep;
          csv::append_cell(buf, cells[i], sep);
        }
        buf += "\r\n";
      }
      ++count;
    }
    out << buf;
    buf.clear();
  }
  if (format == ExportFormat::json) buf += "]}";
  out << buf;
  out.flush();
  return count;
}

}  // namespace passerelle::consultations
