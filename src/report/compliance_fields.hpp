// Reading journal payloads for the compliance report (private to the report module).
//
// Journal text is untrusted: a payload may be any bytes (a tampered file, an older or newer
// writer). These helpers never throw and never guess: a field of an unexpected type reads as
// absent, and the caller decides whether that makes the record malformed.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/report/compliance_report.hpp"

namespace cst::report::compliance {

using Json = nlohmann::json;

// The payload parsed as a JSON object; none if it is not valid JSON or not an object.
std::optional<Json> parse_object(std::string_view payload);

// o[key] as text: a string as it is, a number or boolean as its JSON text; "" if absent,
// null, an array or an object.
std::string text(const Json& o, const char* key);

// True when o[key] holds a non-empty string, a number or a boolean.
bool has_text(const Json& o, const char* key);

// o[key] as a boolean: true or the string "true" (notes journal flags both ways).
bool flag(const Json& o, const char* key);

// o[key] as an integer: a JSON integer or a string of decimal digits (with an optional '-').
std::optional<std::int64_t> integer(const Json& o, const char* key);

// The scalar elements of the array o[key], each as text(); empty if it is not an array.
std::vector<std::string> texts(const Json& o, const char* key);

// The scalar fields of o other than `except`, as "name=value, ..." in name order.
std::string other_fields(const Json& o, std::initializer_list<std::string_view> except);

// a, then b after "; " when both are non-empty.
std::string joined(std::string_view a, std::string_view b);

// Counts sorted highest first, then by name.
std::vector<NameCount> sorted_counts(const std::map<std::string, std::uint64_t>& counts);

}  // namespace cst::report::compliance
