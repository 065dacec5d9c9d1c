// accept_header.h: the comma-separated, q-weighted lists of Accept and
// Accept-Language (RFC 9110 section 12.4.2).
//
// parse_weighted() splits such a header into its ranges, each lowercased
// and trimmed, with its q-value in thousandths (1000 when absent). Other
// parameters are ignored; an item whose q-value is malformed is skipped;
// only the items that end within the first 1024 bytes are read.
#ifndef SEALFORM_WEB_ACCEPT_HEADER_H_
#define SEALFORM_WEB_ACCEPT_HEADER_H_

#include <string>
#include <string_view>
#include <vector>

namespace sealform::web {

struct WeightedRange {
  std::string range;  // "en-gb", "application/json", "*/*"
  int q = 1000;       // 0..1000
};

std::vector<WeightedRange> parse_weighted(std::string_view header);

// The q-value `header` gives exactly `range` (lowercase), 0 if unlisted.
int weight_of(const std::vector<WeightedRange>& ranges, std::string_view range);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_ACCEPT_HEADER_H_
