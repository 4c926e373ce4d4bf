#pragma once
#include "platform/db/database.hpp"

namespace passerelle::demo {

// The demo consultation of Besançon, "Schéma territorial des usages numériques": phases around
// today (contributions and votes open), contributions drawn from real Grand Débat answers
// (data/consultations, Licence Ouverte), some entered by a mediator or from paper, arguments,
// votes, a comment thread and official answers. Running it twice changes nothing.
void seed_consultations(db::Database& db);

}  // namespace passerelle::demo
