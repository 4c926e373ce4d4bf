#pragma once
// The contributions of a consultation as the restitution engine's input
// (`passerelle restitution --process ID --db DB`): published contributions only, the section as
// the group, the channel (en ligne, médiateur, papier), the date; the number (#2901) as id.
#include "platform/db/database.hpp"
#include "platform/result.hpp"
#include "restitution/model.hpp"

namespace passerelle::consultations {
Result<restitution::Corpus> restitution_corpus(db::Database& db, int64_t process_id);
}
