// mint_tokens: a benchmark tool that signs N form tokens under the web
// secret, issued `age` seconds ago, one per line on stdout. The benchmark
// needs many distinct submissions whose tokens are already past the
// minimum fill time; fetching each through a GET would measure the GET.
// Built for `make check`, never installed.
//
// usage: mint_tokens CONFIG COUNT [LOCALE] [AGE_SECONDS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/config.h"
#include "core/keys.h"
#include "web/token.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: mint_tokens CONFIG COUNT [LOCALE] [AGE_SECONDS]\n");
    return 2;
  }
  try {
    const sealform::Config config = sealform::load_config(argv[1]);
    const long count = std::strtol(argv[2], nullptr, 10);
    const std::string locale = argc > 3 ? argv[3] : "en-us";
    const long age = argc > 4 ? std::strtol(argv[4], nullptr, 10) : 10;
    const sealform::SecretBytes secret =
        sealform::load_web_secret(sealform::web_secret_path(config.key_directory));
    const sealform::web::TokenSigner signer(
        sealform::derive_subkey(secret, sealform::Subkey::kCsrf));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    for (long i = 0; i < count; ++i) std::printf("%s\n", signer.issue(now - age, locale).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mint_tokens: %s\n", e.what());
    return 1;
  }
}
