#include "services/common/tokens.h"

#include <dirent.h>
#include <sys/stat.h>

#include <google/protobuf/util/json_util.h>
#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "federation/v1/token.pb.h"
#include "services/common/auth.h"
#include "services/common/files.h"
#include "services/common/log.h"
#include "services/common/topology.h"

namespace fed {
namespace {

namespace v1 = federation::v1;

constexpr absl::string_view kAlgorithm = "EdDSA";
constexpr absl::string_view kRevocationFile = "revoked";
// Clocks of the issuer and the services may disagree a little.
constexpr absl::Duration kClockSkew = absl::Minutes(5);
constexpr size_t kCacheCapacity = 4096;
constexpr absl::Duration kRescanInterval = absl::Seconds(1);

// Base64url without padding, and only the one spelling of each byte string:
// Abseil's decoder also takes padding and stray trailing bits, which would
// give one signature many texts.
bool DecodeStrict(absl::string_view text, std::string* bytes) {
  return absl::WebSafeBase64Unescape(text, bytes) && absl::WebSafeBase64Escape(*bytes) == text;
}

bool HasControlCharacter(absl::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string NewTokenId() {
  unsigned char bytes[16];
  // Only a broken OpenSSL fails here; a guessable id must never be issued.
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

template <typename Message>
std::string ToJson(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

template <typename Message>
bool FromJson(absl::string_view json, Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  return google::protobuf::util::JsonStringToMessage(
             google::protobuf::StringPiece(json.data(), json.size()), message, options)
      .ok();
}

bool IsKnownAudience(absl::string_view name) {
  for (const ServiceEndpoint& service : Services()) {
    if (service.name == name) return true;
  }
  return false;
}

std::vector<std::string> EveryAudience() {
  std::vector<std::string> names;
  for (const ServiceEndpoint& service : Services()) names.emplace_back(service.name);
  return names;
}

// Size and modification time: enough to notice an append or a replacement.
std::string FileStamp(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return "";
  return absl::StrCat(info.st_size, ":", info.st_mtim.tv_sec, ".", info.st_mtim.tv_nsec);
}

}  // namespace

absl::Status CheckTokenRequest(const TokenRequest& request, absl::Duration max_lifetime) {
  std::vector<std::string> problems;
  if (request.role == v1::ROLE_UNSPECIFIED || RoleName(request.role) == "unspecified") {
    problems.push_back("role: must be one of the suite's roles");
  }
  if (request.subject.empty() || request.subject.size() > kMaxSubjectSize ||
      HasControlCharacter(request.subject)) {
    problems.push_back(absl::StrCat("subject: must be 1 to ", kMaxSubjectSize,
                                    " bytes without control characters"));
  }
  if (request.organization_code.size() > kMaxOrganizationCodeSize ||
      HasControlCharacter(request.organization_code)) {
    problems.push_back(absl::StrCat("organization_code: must be at most ", kMaxOrganizationCodeSize,
                                    " bytes without control characters"));
  }
  if (request.role == v1::ROLE_PROVINCE_REPORTER && request.organization_code.empty()) {
    problems.push_back("organization_code: a province_reporter acts for an organisation");
  }
  for (const std::string& audience : request.audiences) {
    if (!IsKnownAudience(audience)) {
      problems.push_back(absl::StrCat("audience: '", audience, "' is not a service of the suite"));
    }
  }
  if (request.lifetime <= absl::ZeroDuration() || request.lifetime > max_lifetime) {
    problems.push_back(absl::StrCat("lifetime: must be positive and at most ",
                                    absl::FormatDuration(max_lifetime)));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
}

absl::StatusOr<TokenIssuer> TokenIssuer::FromKeyFile(const std::string& path) {
  absl::string_view name = path;
  if (size_t slash = name.rfind('/'); slash != absl::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  if (!absl::ConsumeSuffix(&name, ".key") || !IsValidKeyId(name)) {
    return absl::FailedPreconditionError(
        absl::StrCat("issuer key file ", path, " must be named <kid>.key (kid: A-Z a-z 0-9 _ -)"));
  }
  absl::StatusOr<SigningKey> key = SigningKey::PrivateFromFile(path);
  if (!key.ok()) return key.status();
  return TokenIssuer(std::string(name), *std::move(key));
}

absl::StatusOr<IssuedToken> TokenIssuer::Issue(const TokenRequest& request, absl::Time now) const {
  if (absl::Status valid = CheckTokenRequest(request, kDefaultMaxTokenLifetime); !valid.ok()) {
    return valid;
  }
  IssuedToken issued;
  issued.jti = NewTokenId();
  issued.expires_at = now + request.lifetime;
  v1::AccessTokenClaims claims;
  claims.set_iss(kTokenIssuer);
  claims.set_sub(request.subject);
  claims.set_org(request.organization_code);
  claims.set_role(std::string(RoleName(request.role)));
  for (const std::string& audience :
       request.audiences.empty() ? EveryAudience() : request.audiences) {
    claims.add_aud(audience);
  }
  claims.set_iat(static_cast<uint32_t>(absl::ToUnixSeconds(now)));
  claims.set_exp(static_cast<uint32_t>(absl::ToUnixSeconds(issued.expires_at)));
  claims.set_jti(issued.jti);

  issued.token = SignClaims(claims);
  if (issued.token.empty()) return absl::InternalError("the issuer key could not sign");
  return issued;
}

std::string TokenIssuer::SignClaims(const v1::AccessTokenClaims& claims) const {
  v1::AccessTokenHeader header;
  header.set_alg(std::string(kAlgorithm));
  header.set_typ("JWT");
  header.set_kid(kid_);
  std::string signed_part = absl::StrCat(absl::WebSafeBase64Escape(ToJson(header)), ".",
                                         absl::WebSafeBase64Escape(ToJson(claims)));
  std::string signature = key_.Sign(signed_part);
  if (signature.empty()) return "";
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(signature));
}

RevocationList RevocationList::Parse(absl::string_view text) {
  RevocationList list;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> words = absl::StrSplit(line, absl::MaxSplits(' ', 2));
    int64_t seconds = 0;
    if (words.size() == 2 && words[0] == "jti" && !words[1].empty()) {
      list.jtis.insert(std::string(words[1]));
    } else if (words.size() == 3 && words[0] == "subject" && absl::SimpleAtoi(words[1], &seconds) &&
               !words[2].empty()) {
      absl::Time before = absl::FromUnixSeconds(seconds);
      auto [it, inserted] = list.subjects.emplace(std::string(words[2]), before);
      if (!inserted && it->second < before) it->second = before;
    } else {
      list.malformed_lines.emplace_back(line);
    }
  }
  return list;
}

bool RevocationList::Revokes(const VerifiedToken& token) const {
  if (jtis.contains(token.jti)) return true;
  auto it = subjects.find(token.subject);
  return it != subjects.end() && token.issued_at <= it->second;
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::Open(Options options) {
  if (options.audience.empty()) {
    return absl::FailedPreconditionError("a token verifier needs the name of its audience");
  }
  if (options.keys_dir.empty()) {
    return absl::FailedPreconditionError(
        "no token key directory: give --token_keys_dir (tools/dev up makes .run/token-keys)");
  }
  auto verifier =
      std::make_unique<TokenVerifier>(std::move(options), std::map<std::string, SigningKey>{});
  absl::MutexLock lock(&verifier->mu_);
  if (verifier->dir_keys_.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no public key (<kid>.pub) in the token key directory ", verifier->options_.keys_dir));
  }
  return verifier;
}

TokenVerifier::TokenVerifier(Options options, std::map<std::string, SigningKey> keys)
    : options_(std::move(options)), fixed_keys_(std::move(keys)) {
  absl::MutexLock lock(&mu_);
  ScanKeysLocked(absl::Now());
  RefreshRevocationsLocked(absl::Now());
}

void TokenVerifier::ScanKeysLocked(absl::Time now) const {
  last_key_scan_ = now;
  if (options_.keys_dir.empty()) return;
  DIR* dir = ::opendir(options_.keys_dir.c_str());
  if (dir == nullptr) {
    spdlog::error("event=token_keys_unreadable dir={}", LogQuoted(options_.keys_dir));
    return;
  }
  std::map<std::string, SigningKey> keys;
  while (const dirent* entry = ::readdir(dir)) {
    absl::string_view kid = entry->d_name;
    if (!absl::ConsumeSuffix(&kid, ".pub") || !IsValidKeyId(kid)) continue;
    const std::string path = absl::StrCat(options_.keys_dir, "/", entry->d_name);
    absl::StatusOr<SigningKey> key = SigningKey::PublicFromFile(path);
    if (!key.ok()) {
      spdlog::error("event=token_key_unreadable error={}", LogQuoted(key.status().message()));
      continue;
    }
    keys.emplace(std::string(kid), *std::move(key));
  }
  ::closedir(dir);
  // A key taken out of the directory stops verifying, cached tokens too.
  if (keys.size() < dir_keys_.size()) cache_.clear();
  dir_keys_ = std::move(keys);
}

void TokenVerifier::RefreshRevocationsLocked(absl::Time now) const {
  last_revocation_check_ = now;
  if (options_.keys_dir.empty()) return;
  const std::string path = absl::StrCat(options_.keys_dir, "/", kRevocationFile);
  std::string stamp = FileStamp(path);
  if (stamp == revocation_stamp_) return;
  absl::StatusOr<std::string> text = ReadFileToString(path);
  revoked_ = RevocationList::Parse(text.ok() ? *text : "");
  revocation_stamp_ = std::move(stamp);
  for (const std::string& line : revoked_.malformed_lines) {
    spdlog::error("event=revocation_line_ignored file={} line={}", LogQuoted(path),
                  LogQuoted(line));
  }
  spdlog::info("event=revocations_loaded tokens={} subjects={}", revoked_.jtis.size(),
               revoked_.subjects.size());
}

absl::StatusOr<SigningKey> TokenVerifier::KeyFor(const std::string& kid, absl::Time now) const {
  if (auto it = fixed_keys_.find(kid); it != fixed_keys_.end()) return it->second;
  absl::MutexLock lock(&mu_);
  auto it = dir_keys_.find(kid);
  if (it == dir_keys_.end() && now - last_key_scan_ >= kRescanInterval) {
    ScanKeysLocked(now);
    it = dir_keys_.find(kid);
  }
  if (it == dir_keys_.end()) {
    return absl::UnauthenticatedError(
        absl::StrCat("token is signed by an unknown key '", kid, "'"));
  }
  return it->second;
}

absl::StatusOr<VerifiedToken> TokenVerifier::Verify(absl::string_view token, absl::Time now) const {
  if (token.empty() || token.size() > kMaxTokenSize) {
    return absl::UnauthenticatedError("token is empty or too long");
  }
  if (absl::StartsWith(token, "fed1.")) {
    return absl::UnauthenticatedError(
        "token is in the retired shared-secret format: ask for a new one (fedctl token issue)");
  }
  {
    absl::MutexLock lock(&mu_);
    if (now - last_revocation_check_ >= kRescanInterval) RefreshRevocationsLocked(now);
    if (auto it = cache_.find(token); it != cache_.end()) {
      VerifiedToken cached = it->second;
      if (cached.expires_at <= now) cache_.erase(it);
      if (absl::Status fresh = CheckClaims(cached, now); !fresh.ok()) return fresh;
      return cached;
    }
  }
  absl::StatusOr<VerifiedToken> verified = VerifyUncached(token, now);
  if (!verified.ok()) return verified.status();
  absl::MutexLock lock(&mu_);
  if (absl::Status fresh = CheckClaims(*verified, now); !fresh.ok()) return fresh;
  if (cache_.size() >= kCacheCapacity) cache_.clear();
  cache_.emplace(std::string(token), *verified);
  return verified;
}

// Expiry and revocation: what can change for a token already verified.
absl::Status TokenVerifier::CheckClaims(const VerifiedToken& token,
                                        absl::Time now) const ABSL_NO_THREAD_SAFETY_ANALYSIS {
  // Called with mu_ held (both callers); revoked_ is read only.
  if (token.expires_at <= now) return absl::UnauthenticatedError("token has expired");
  if (revoked_.Revokes(token)) return absl::UnauthenticatedError("token has been revoked");
  return absl::OkStatus();
}

absl::StatusOr<VerifiedToken> TokenVerifier::VerifyUncached(absl::string_view token,
                                                            absl::Time now) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return absl::UnauthenticatedError("token is malformed");

  std::string header_json, claims_json, signature;
  v1::AccessTokenHeader header;
  if (!DecodeStrict(parts[0], &header_json) || !FromJson(header_json, &header)) {
    return absl::UnauthenticatedError("token header is malformed");
  }
  if (header.alg() != kAlgorithm) {
    return absl::UnauthenticatedError("token is not signed with EdDSA (Ed25519)");
  }
  if (!IsValidKeyId(header.kid())) return absl::UnauthenticatedError("token names no valid key");
  absl::StatusOr<SigningKey> key = KeyFor(header.kid(), now);
  if (!key.ok()) return key.status();
  const absl::string_view signed_part = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!DecodeStrict(parts[2], &signature) || !key->Verify(signed_part, signature)) {
    return absl::UnauthenticatedError("token signature is invalid");
  }

  // Signed by the issuer from here on: what follows checks what it meant.
  v1::AccessTokenClaims claims;
  if (!DecodeStrict(parts[1], &claims_json) || !FromJson(claims_json, &claims)) {
    return absl::UnauthenticatedError("token claims are malformed");
  }
  if (claims.iss() != kTokenIssuer) {
    return absl::UnauthenticatedError("token is from another issuer");
  }
  bool for_me = false;
  for (const std::string& audience : claims.aud()) for_me |= audience == options_.audience;
  if (!for_me) {
    return absl::UnauthenticatedError(absl::StrCat("token is not meant for ", options_.audience,
                                                   " (its audience is ",
                                                   absl::StrJoin(claims.aud(), ", "), ")"));
  }
  VerifiedToken verified;
  verified.subject = claims.sub();
  verified.organization_code = claims.org();
  verified.role = RoleFromName(claims.role());
  verified.jti = claims.jti();
  verified.issued_at = absl::FromUnixSeconds(claims.iat());
  verified.expires_at = absl::FromUnixSeconds(claims.exp());
  if (verified.role == v1::ROLE_UNSPECIFIED || verified.subject.empty() ||
      verified.subject.size() > kMaxSubjectSize || HasControlCharacter(verified.subject)) {
    return absl::UnauthenticatedError("token has no valid role or subject");
  }
  if (verified.organization_code.size() > kMaxOrganizationCodeSize ||
      HasControlCharacter(verified.organization_code)) {
    return absl::UnauthenticatedError("token has an invalid organisation");
  }
  // A province's staff act for their province: without one, a check written
  // "is this the caller's organisation?" could match nothing or everything.
  if (verified.role == v1::ROLE_PROVINCE_REPORTER && verified.organization_code.empty()) {
    return absl::UnauthenticatedError("a province_reporter token must name its organisation");
  }
  if (verified.jti.empty()) return absl::UnauthenticatedError("token has no id (jti)");
  if (verified.issued_at > now + kClockSkew) {
    return absl::UnauthenticatedError("token is issued in the future");
  }
  if (verified.expires_at - verified.issued_at > options_.max_lifetime) {
    return absl::UnauthenticatedError(absl::StrCat("token lives longer than this service accepts (",
                                                   absl::FormatDuration(options_.max_lifetime),
                                                   ")"));
  }
  return verified;
}

}  // namespace fed
