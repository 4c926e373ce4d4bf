#pragma once
// What a few pages need beyond the common shell: more stylesheets and scripts in <head> (the map
// of /lieux: Leaflet), a Content-Security-Policy that allows images from one more origin (its
// tile server), and the map's tile server itself (configuration keys map_tiles_url and
// map_tiles_attribution, read with the rest of the configuration).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/web/layout.hpp"

namespace passerelle::web {

struct PageAssets {
  std::vector<std::string> stylesheets;  // <link rel=stylesheet> after site.css ("/static/…")
  std::vector<std::string> scripts;      // <script defer src=…> at the end of <head>
};
std::string render_page(Context& ctx, const PageSpec& spec, const PageAssets& assets, const std::function<void(html::Builder&)>& body);

// The policy of every page; with `extra_img_src`, images from that origin too. A response that
// carries its own Content-Security-Policy header gets no other (App::finalize).
std::string content_security_policy(std::string_view extra_img_src = {});

// Tile URL template ("https://tile.openstreetmap.org/{z}/{x}/{y}.png") and the attribution its
// licence asks for; empty url = no tiles (the map still shows the places). Set while the
// configuration is read, before the server starts: read-only afterwards.
struct MapTiles {
  std::string url;
  std::string attribution;
};
const MapTiles& map_tiles();
MapTiles& mutable_map_tiles();

}  // namespace passerelle::web
