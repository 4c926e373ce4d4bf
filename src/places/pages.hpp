#pragma once
#include "platform/web/app.hpp"

namespace passerelle::places {
// The place page (/lieux/{id}), the correction form (/lieux/{id}/corriger) and the moderation
// queue (/moderation/lieux), a territory's places (/t/{slug}/lieux), the networks (/reseaux/…)
// and the page about the data (/a-propos/donnees). Registered after any other /lieux route.
void register_pages(web::App& app);
}  // namespace passerelle::places
