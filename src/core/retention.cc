// retention.cc: the retention rule and timestamp parsing (see retention.h).
#include "core/retention.h"

#include <cctype>
#include <ctime>

namespace sealform {
namespace {

// Seconds in `days`, saturating instead of overflowing for absurd configs
// (config.cc bounds the values; this keeps the arithmetic safe regardless).
std::int64_t days_to_seconds(int days) {
  return static_cast<std::int64_t>(days < 0 ? 0 : days) * kSecondsPerDay;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Parses exactly `width` digits at `pos`; -1 if they are not digits.
int fixed_number(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

}  // namespace

std::int64_t erase_cutoff(std::int64_t now, int retention_days) {
  return now - days_to_seconds(retention_days);
}

std::int64_t warning_cutoff(std::int64_t now, int unresolved_warning_days) {
  return now - days_to_seconds(unresolved_warning_days);
}

RetentionDecision decide(const RetentionFacts& facts, std::int64_t now,
                         const RetentionPolicy& policy) {
  RetentionDecision decision;
  if (facts.held) {
    decision.verdict = Verdict::kHeld;
    return decision;
  }
  if (!facts.resolved_at) {
    decision.verdict = Verdict::kUnresolved;
    decision.past_warning = facts.created_at <= warning_cutoff(now, policy.unresolved_warning_days);
    return decision;
  }
  // The clock always runs from the resolution time: withdrawing an opt-in
  // (retain_changed_at) does not restart it.
  decision.due_at = *facts.resolved_at + days_to_seconds(policy.retention_days);
  if (*facts.resolved_at > erase_cutoff(now, policy.retention_days)) {
    decision.verdict = Verdict::kNotYetDue;
  } else if (facts.retain) {
    decision.verdict = Verdict::kKeptByOptIn;
  } else {
    decision.verdict = Verdict::kErase;
  }
  return decision;
}

std::string erase_rule_name(const RetentionFacts& facts, const RetentionPolicy& policy) {
  std::string name = "resolved+" + std::to_string(policy.retention_days) + "d";
  if (!facts.retain && facts.retain_changed_at) name += ", opt-in withdrawn";
  return name;
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kErase:
      return "erase";
    case Verdict::kKeptByOptIn:
      return "kept-by-opt-in";
    case Verdict::kNotYetDue:
      return "not-yet-due";
    case Verdict::kUnresolved:
      return "unresolved";
    case Verdict::kHeld:
      return "held";
  }
  return "unknown";
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  if (all_digits(text)) {
    constexpr std::size_t kMaxDigits = 12;  // well past year 9999
    if (text.size() > kMaxDigits) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) value = value * 10 + (c - '0');
    return value;
  }
  // YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (ISO 8601 / RFC 3339 in UTC only).
  if (text.size() != 10 && text.size() != 20) return std::nullopt;
  const int year = fixed_number(text, 0, 4);
  const int month = fixed_number(text, 5, 2);
  const int day = fixed_number(text, 8, 2);
  if (year < 1970 || text[4] != '-' || text[7] != '-' || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month)) {
    return std::nullopt;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (text.size() == 20) {
    hour = fixed_number(text, 11, 2);
    minute = fixed_number(text, 14, 2);
    second = fixed_number(text, 17, 2);
    if ((text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':' ||
        (text[19] != 'Z' && text[19] != 'z') || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 59) {
      return std::nullopt;
    }
  }
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&parts));
}

std::string format_timestamp(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  if (gmtime_r(&t, &parts) == nullptr) return std::to_string(unix_seconds);
  char buffer[32];
  if (std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts) == 0) {
    return std::to_string(unix_seconds);
  }
  return buffer;
}

}  // namespace sealform
