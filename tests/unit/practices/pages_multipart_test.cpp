// The multipart/form-data reader of the attachment upload form, and the French file sizes.
#include <gtest/gtest.h>

#include "practices/pages_multipart.hpp"
#include "practices/pages_shared.hpp"

namespace pages = passerelle::practices::pages;
using passerelle::i18n::Locale;

namespace {

const std::string kBody =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
    "jeton\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"fichier\"; filename=\"plan \\\"A\\\".pdf\"\r\n"
    "Content-Type: application/pdf\r\n\r\n"
    "%PDF-1.4\r\n--XY not the boundary\r\n%%EOF\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"alt\"\r\n\r\n"
    "\r\n"
    "--XyZ--\r\n";

TEST(PagesMultipart, BoundaryFromContentType) {
  EXPECT_EQ(pages::multipart_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(pages::multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_FALSE(pages::multipart_boundary("application/x-www-form-urlencoded"));
  EXPECT_FALSE(pages::multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(pages::multipart_boundary("multipart/form-data; boundary=" + std::string(80, 'a')));
}

TEST(PagesMultipart, PartsWithFilesAndEmptyFields) {
  auto parts = pages::parse_multipart(kBody, "XyZ");
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ(pages::find_part(*parts, "_csrf")->data, "jeton");
  const auto* file = pages::find_part(*parts, "fichier");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "plan \"A\".pdf");
  EXPECT_EQ(file->content_type, "application/pdf");
  EXPECT_EQ(file->data, "%PDF-1.4\r\n--XY not the boundary\r\n%%EOF");
  EXPECT_EQ(pages::find_part(*parts, "alt")->data, "");
  EXPECT_FALSE(pages::find_part(*parts, "alt")->filename);
  EXPECT_EQ(pages::find_part(*parts, "absent"), nullptr);
}

TEST(PagesMultipart, MalformedBodiesAreRefused) {
  EXPECT_FALSE(pages::parse_multipart("", "XyZ"));
  EXPECT_FALSE(pages::parse_multipart(kBody, "Autre"));
  EXPECT_FALSE(pages::parse_multipart(kBody.substr(0, kBody.size() / 2), "XyZ"));  // truncated
  EXPECT_FALSE(pages::parse_multipart("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", "XyZ"));  // no name
}

TEST(PagesFormat, FrenchFileSizes) {
  EXPECT_EQ(pages::format_size(Locale::fr, 12), "12 octets");
  EXPECT_EQ(pages::format_size(Locale::fr, 1258291), "1,2 Mo");
  EXPECT_EQ(pages::format_size(Locale::fr, 2 * 1024 * 1024), "2 Mo");
  EXPECT_EQ(pages::format_size(Locale::fr, 350 * 1024), "350 ko");
  EXPECT_EQ(pages::format_size(Locale::en, 1258291), "1.2 MB");
}

}  // namespace
