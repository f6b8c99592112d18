#include "compliance_fields.hpp"

#include <algorithm>
#include <charconv>

namespace cst::report::compliance {

namespace {

const Json* find(const Json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  const auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

std::string scalar_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return {};
}

}  // namespace

std::optional<Json> parse_object(std::string_view payload) {
  Json j = Json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::string text(const Json& o, const char* key) {
  const Json* v = find(o, key);
  return v ? scalar_text(*v) : std::string();
}

bool has_text(const Json& o, const char* key) {
  const Json* v = find(o, key);
  if (v == nullptr) return false;
  if (v->is_string()) return !v->get_ref<const std::string&>().empty();
  return v->is_number() || v->is_boolean();
}

bool flag(const Json& o, const char* key) {
  const Json* v = find(o, key);
  if (v == nullptr) return false;
  if (v->is_boolean()) return v->get<bool>();
  return v->is_string() && v->get_ref<const std::string&>() == "true";
}

std::optional<std::int64_t> integer(const Json& o, const char* key) {
  const Json* v = find(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number_unsigned()) {
    const auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (!v->is_string()) return std::nullopt;
  const auto& s = v->get_ref<const std::string&>();
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return out;
}

std::vector<std::string> texts(const Json& o, const char* key) {
  std::vector<std::string> out;
  const Json* v = find(o, key);
  if (v == nullptr || !v->is_array()) return out;
  for (const Json& e : *v) {
    if (e.is_string() || e.is_number() || e.is_boolean()) out.push_back(scalar_text(e));
  }
  return out;
}

std::string other_fields(const Json& o, std::initializer_list<std::string_view> except) {
  std::string out;
  if (!o.is_object()) return out;
  for (const auto& [name, value] : o.items()) {  // an object's keys are sorted
    if (std::find(except.begin(), except.end(), name) != except.end()) continue;
    const std::string v = scalar_text(value);
    if (v.empty()) continue;
    if (!out.empty()) out += ", ";
    out += name + "=" + v;
  }
  return out;
}

std::string joined(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a) + "; " + std::string(b);
}

std::vector<NameCount> sorted_counts(const std::map<std::string, std::uint64_t>& counts) {
  std::vector<NameCount> out;
  out.reserve(counts.size());
  for (const auto& [name, count] : counts) out.push_back(NameCount{name, count});
  // The map is sorted by name, so a stable sort by count keeps names in order within a count.
  std::stable_sort(out.begin(), out.end(), [](const NameCount& a, const NameCount& b) { return a.count > b.count; });
  return out;
}

}  // namespace cst::report::compliance
