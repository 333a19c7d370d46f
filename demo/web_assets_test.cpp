#include "web_assets.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace switchboard::demo {
namespace {

TEST(WebAssets, ContentTypeByExtension) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("client/models/runtime.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("LOGO.SVG"), "image/svg+xml");
}

TEST(WebAssets, UnknownOrMissingExtensionIsOctetStream) {
  EXPECT_EQ(content_type_for("archive.tar.zst"), "application/octet-stream");
  EXPECT_EQ(content_type_for("README"), "application/octet-stream");
  EXPECT_EQ(content_type_for("index.html.bak"), "application/octet-stream");
}

class WebAssetsDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("web_assets_test_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_ / "client" / "models");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& relative, const std::string& body) { std::ofstream(dir_ / relative) << body; }

  std::filesystem::path dir_;
};

TEST_F(WebAssetsDir, LoadsEveryFileRecursivelyWithItsUrlPath) {
  write("index.html", "<!doctype html>");
  write("chat.js", "export {};");
  write("client/models/runtime.js", "// runtime");

  const auto assets = load_web_assets(dir_);
  ASSERT_EQ(assets.size(), 4u) << "/, /chat.js, /client/models/runtime.js, /index.html; nothing for folders";
  EXPECT_EQ(assets[0].path, "/");
  EXPECT_EQ(assets[0].content_type, "text/html; charset=utf-8");
  EXPECT_EQ(assets[0].body, "<!doctype html>");
  EXPECT_EQ(assets[1].path, "/chat.js");
  EXPECT_EQ(assets[1].body, "export {};");
  EXPECT_EQ(assets[2].path, "/client/models/runtime.js");
  EXPECT_EQ(assets[2].content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(assets[3].path, "/index.html");
  EXPECT_EQ(assets[3].body, "<!doctype html>");
}

TEST_F(WebAssetsDir, OnlyTheTopLevelIndexIsServedAsRoot) {
  write("client/index.html", "nested");
  const auto assets = load_web_assets(dir_);
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].path, "/client/index.html");
}

TEST_F(WebAssetsDir, MissingDirectoryThrows) {
  EXPECT_THROW(load_web_assets(dir_ / "absent"), std::filesystem::filesystem_error);
}

}  // namespace
}  // namespace switchboard::demo
