// Real Serverpod model files (shared/serverpod-models/chat, with the auth module loaded as
// `auth:serverpod_auth`): every class generates, encodes to Serverpod's JSON (module classes as
// "serverpod_auth.<Name>"), decodes back and compares equal, with nullable fields set and unset.

#include <gtest/gtest.h>

#include <string>

#include "switchboard/model/registry.hpp"
#include "switchboard_models.hpp"

namespace m = switchboard::models;
namespace auth = switchboard::models::auth;
namespace sm = switchboard::model;

namespace {

template <class T>
std::string encode(const T& v, sm::Scope scope = sm::Scope::client) {
  std::string out;
  to_json(out, v, scope);  // by argument-dependent lookup: module models live in switchboard::models::auth
  return out;
}

template <class T>
void expect_round_trip(const T& v) {
  for (auto scope : {sm::Scope::server, sm::Scope::client}) {
    const std::string json = encode(v, scope);
    T back;
    const auto r = from_json(json, back);
    ASSERT_TRUE(r.ok()) << r.error() << "\n  in " << json;
    EXPECT_TRUE(back == v) << json;
    EXPECT_EQ(encode(back, scope), json);
  }
}

sm::DateTime at(const char* iso) { return *sm::parse_date_time(iso); }

auth::UserInfoPublic user_public(bool full) {
  auth::UserInfoPublic u;
  u.created = at("2024-02-29T23:59:59.999Z");
  if (full) {
    u.id = 7;
    u.userName = "ada";
    u.fullName = "Ada Lovelace";
    u.imageUrl = "https://example.com/ada.png";
  }
  return u;
}

auth::UserInfo user_info(bool full) {
  auth::UserInfo u;
  u.userIdentifier = "ada@example.com";
  u.created = at("2023-01-02T03:04:05.006Z");
  u.scopeNames = full ? std::vector<std::string>{"admin", "chat"} : std::vector<std::string>{};
  u.blocked = full;
  if (full) {
    u.id = 42;
    u.userName = "ada";
    u.fullName = "Ada Lovelace";
    u.email = "ada@example.com";
    u.imageUrl = "https://example.com/ada.png";
  }
  return u;
}

m::ChatMessageAttachment attachment(bool full) {
  m::ChatMessageAttachment a;
  a.fileName = "a.png";
  a.url = "https://example.com/a.png";
  a.contentType = "image/png";
  if (full) {
    a.previewImage = "https://example.com/a.thumb.png";
    a.previewWidth = 64;
    a.previewHeight = 48;
  }
  return a;
}

m::ChatMessage message(bool full) {
  m::ChatMessage msg;
  msg.channel = "general";
  msg.message = "hello \"world\"";
  msg.time = at("2024-02-29T23:59:59.999Z");
  msg.sender = 7;
  msg.removed = false;
  if (full) {
    msg.id = 1;
    msg.senderInfo = user_public(true);
    msg.clientMessageId = 99;
    msg.sent = true;
    msg.attachments = std::vector<m::ChatMessageAttachment>{attachment(true), attachment(false)};
  }
  return msg;
}

}  // namespace

TEST(ChatModels, ChatMessageMatchesServerpodJson) {
  EXPECT_EQ(encode(message(true)),
            R"({"__className__":"ChatMessage","id":1,"channel":"general","message":"hello \"world\"",)"
            R"("time":"2024-02-29T23:59:59.999Z","sender":7,)"
            R"("senderInfo":{"__className__":"serverpod_auth.UserInfoPublic","id":7,"userName":"ada",)"
            R"("fullName":"Ada Lovelace","created":"2024-02-29T23:59:59.999Z","imageUrl":"https://example.com/ada.png"},)"
            R"("removed":false,"clientMessageId":99,"sent":true,"attachments":[)"
            R"({"__className__":"ChatMessageAttachment","fileName":"a.png","url":"https://example.com/a.png",)"
            R"("contentType":"image/png","previewImage":"https://example.com/a.thumb.png","previewWidth":64,"previewHeight":48},)"
            R"({"__className__":"ChatMessageAttachment","fileName":"a.png","url":"https://example.com/a.png","contentType":"image/png"}]})");
  // Null nullable fields (id, senderInfo, clientMessageId, sent, attachments) are left out.
  EXPECT_EQ(encode(message(false)),
            R"({"__className__":"ChatMessage","channel":"general","message":"hello \"world\"",)"
            R"("time":"2024-02-29T23:59:59.999Z","sender":7,"removed":false})");
}

TEST(ChatModels, DecodesServerpodJson) {
  // As a Serverpod server writes it (UTC with microseconds dropped to ms, explicit nulls accepted).
  m::ChatMessage msg;
  const auto r = m::from_json(
      R"({"__className__":"ChatMessage","id":1,"channel":"general","message":"hi","time":"2024-02-29T23:59:59.999Z",)"
      R"("sender":7,"senderInfo":{"__className__":"serverpod_auth.UserInfoPublic","userName":"ada",)"
      R"("created":"2024-02-29T23:59:59.999Z"},"removed":true,"sent":null})",
      msg);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_TRUE(msg.senderInfo.has_value());
  EXPECT_EQ(msg.senderInfo->userName, "ada");
  EXPECT_FALSE(msg.senderInfo->id.has_value());
  EXPECT_FALSE(msg.sent.has_value());
  EXPECT_TRUE(msg.removed);
}

TEST(ChatModels, EveryChatClassRoundTrips) {
  for (bool full : {true, false}) {
    SCOPED_TRACE(full ? "nullables set" : "nullables unset");
    m::ChatJoinChannel join;
    join.channel = "general";
    if (full) join.userName = "ada";
    expect_round_trip(join);

    expect_round_trip(m::ChatJoinChannelFailed{"general", "banned"});

    m::ChatJoinedChannel joined;
    joined.channel = "general";
    joined.initialMessageChunk.channel = "general";
    joined.initialMessageChunk.messages = {message(true), message(false)};
    joined.initialMessageChunk.hasOlderMessages = full;
    joined.lastReadMessageId = 12;
    joined.userInfo = user_info(full);
    expect_round_trip(joined);

    expect_round_trip(m::ChatLeaveChannel{"general"});
    expect_round_trip(message(full));
    expect_round_trip(attachment(full));
    expect_round_trip(m::ChatMessageAttachmentUploadDescription{"uploads/a.png", "{\"key\":\"k\"}"});

    m::ChatMessageChunk chunk;
    chunk.channel = "general";
    if (full) chunk.messages = {message(true), message(false)};
    chunk.hasOlderMessages = !full;
    expect_round_trip(chunk);

    m::ChatMessagePost post;
    post.channel = "general";
    post.message = "hi";
    post.clientMessageId = -3;
    if (full) post.attachments = std::vector<m::ChatMessageAttachment>{attachment(true)};
    expect_round_trip(post);

    m::ChatReadMessage read;
    if (full) read.id = 5;
    read.channel = "general";
    read.userId = 7;
    read.lastReadMessageId = 12;
    expect_round_trip(read);

    expect_round_trip(m::ChatRequestMessageChunk{"general", 100});
  }
}

TEST(ChatModels, EveryAuthClassRoundTrips) {
  for (bool full : {true, false}) {
    SCOPED_TRACE(full ? "nullables set" : "nullables unset");
    auth::AppleAuthInfo apple;
    apple.userIdentifier = "u";
    if (full) apple.email = "a@example.com";
    apple.fullName = "Ada";
    apple.nickname = "ada";
    apple.identityToken = "t";
    apple.authorizationCode = "c";
    expect_round_trip(apple);

    auth::AuthKey key;
    if (full) key.id = 3;
    key.userId = 7;
    key.hash = "h";
    if (full) key.key = "k";
    key.scopeNames = {"a", "b"};
    key.method = "email";
    expect_round_trip(key);

    auth::AuthenticationResponse response;
    response.success = full;
    if (full) {
      response.key = "k";
      response.keyId = 3;
      response.userInfo = user_info(true);
      response.failReason = auth::AuthenticationFailReason::tooManyFailedAttempts;
    }
    expect_round_trip(response);

    auth::EmailAuth email_auth;
    if (full) email_auth.id = 1;
    email_auth.userId = 7;
    email_auth.email = "a@example.com";
    email_auth.hash = "h";
    expect_round_trip(email_auth);

    auth::EmailCreateAccountRequest create;
    if (full) create.id = 1;
    create.userName = "ada";
    create.email = "a@example.com";
    create.hash = "h";
    create.verificationCode = "123456";
    expect_round_trip(create);

    auth::EmailFailedSignIn failed;
    if (full) failed.id = 1;
    failed.email = "a@example.com";
    failed.time = at("2024-01-01T00:00:00.000Z");
    failed.ipAddress = "127.0.0.1";
    expect_round_trip(failed);

    auth::EmailPasswordReset password_reset;
    if (full) password_reset.userName = "ada";
    password_reset.email = "a@example.com";
    expect_round_trip(password_reset);

    auth::EmailReset reset;
    if (full) reset.id = 1;
    reset.userId = 7;
    reset.verificationCode = "123456";
    reset.expiration = at("2030-12-31T23:59:59.000Z");
    expect_round_trip(reset);

    auth::GoogleRefreshToken google;
    if (full) google.id = 1;
    google.userId = 7;
    google.refreshToken = "r";
    expect_round_trip(google);

    auth::UserImage image;
    if (full) image.id = 1;
    image.userId = 7;
    image.version = 2;
    image.url = "https://example.com/i.png";
    expect_round_trip(image);

    expect_round_trip(user_info(full));
    expect_round_trip(user_public(full));
    expect_round_trip(auth::UserSettingsConfig{full, !full, full, !full, full});
  }
  EXPECT_EQ(encode(auth::AuthenticationFailReason::blocked), "4");  // serialized: byIndex
}

TEST(ChatModels, RegistryKeysModuleClassesByPackage) {
  sm::Registry registry;
  m::register_models(registry);
  EXPECT_NE(registry.find("ChatMessage"), nullptr);
  EXPECT_NE(registry.find("serverpod_auth.UserInfoPublic"), nullptr);
  EXPECT_NE(registry.find("serverpod_auth.AuthenticationFailReason"), nullptr);
  EXPECT_EQ(registry.find("auth.UserInfoPublic"), nullptr);
  EXPECT_TRUE(registry.validate("serverpod_auth.UserInfoPublic", R"({"created":"2024-02-29T23:59:59.999Z"})").ok());
}
