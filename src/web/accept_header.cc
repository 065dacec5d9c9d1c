// accept_header.cc: q-weighted header lists (see accept_header.h).
#include "web/accept_header.h"

#include <algorithm>
#include <cctype>

namespace sealform::web {
namespace {

constexpr std::size_t kMaxHeaderBytes = 1024;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// q-value in thousandths, -1 if malformed (RFC 9110: 0, 0.x.., 1, 1.0..).
int parse_q(std::string_view text) {
  if (text.empty() || text.size() > 5) return -1;
  if (text[0] != '0' && text[0] != '1') return -1;
  int value = (text[0] - '0') * 1000;
  if (text.size() == 1) return value;
  if (text[1] != '.') return -1;
  int scale = 100;
  for (std::size_t i = 2; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value += (text[i] - '0') * scale;
    scale /= 10;
  }
  return value > 1000 ? -1 : value;
}

}  // namespace

std::vector<WeightedRange> parse_weighted(std::string_view header) {
  if (header.size() > kMaxHeaderBytes) {
    // Only whole items: a cut one could lose its ";q=0" (a range the
    // visitor refused would count as wanted) or part of its range.
    const std::size_t last_comma = header.substr(0, kMaxHeaderBytes + 1).rfind(',');
    header = header.substr(0, last_comma == std::string_view::npos ? 0 : last_comma);
  }
  std::vector<WeightedRange> ranges;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view item = header.substr(start, end - start);
    start = end + 1;
    std::size_t semi = item.find(';');
    WeightedRange weighted{lower(trim(item.substr(0, semi))), 1000};
    if (weighted.range.empty()) continue;
    bool malformed = false;
    while (semi != std::string_view::npos) {
      const std::size_t next = item.find(';', semi + 1);
      const std::string param = lower(trim(item.substr(semi + 1, next - semi - 1)));
      semi = next;
      if (param.rfind("q=", 0) != 0) continue;
      weighted.q = parse_q(std::string_view(param).substr(2));
      malformed = weighted.q < 0;
      break;  // the weight ends a media range's parameters
    }
    if (!malformed) ranges.push_back(std::move(weighted));
  }
  return ranges;
}

int weight_of(const std::vector<WeightedRange>& ranges, std::string_view range) {
  int best = 0;
  for (const WeightedRange& weighted : ranges) {
    if (weighted.range == range) best = std::max(best, weighted.q);
  }
  return best;
}

}  // namespace sealform::web
