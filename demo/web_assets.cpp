#include "web_assets.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <utility>

namespace switchboard::demo {

namespace {

// Only what a static page built by demo/web/build.mjs (or an edited copy of it) plausibly holds.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
}};

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::filesystem::filesystem_error("cannot open", file, std::make_error_code(std::errc::io_error));
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::string_view content_type_for(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string extension(file_name.substr(dot));
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& [ext, type] : kContentTypes) {
      if (ext == extension) return type;
    }
  }
  return "application/octet-stream";
}

std::vector<WebAsset> load_web_assets(const std::filesystem::path& dir) {
  std::vector<WebAsset> assets;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const auto relative = entry.path().lexically_relative(dir).generic_string();
    auto content_type = std::string(content_type_for(relative));
    auto body = read_file(entry.path());
    if (relative == "index.html") assets.push_back({"/", content_type, body});
    assets.push_back({"/" + relative, std::move(content_type), std::move(body)});
  }
  std::sort(assets.begin(), assets.end(), [](const WebAsset& a, const WebAsset& b) { return a.path < b.path; });
  return assets;
}

std::filesystem::path default_web_dir() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path() / "web";
}

}  // namespace switchboard::demo
