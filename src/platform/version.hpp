#pragma once
namespace passerelle {
inline constexpr const char* kVersion = "0.1.0";
}
