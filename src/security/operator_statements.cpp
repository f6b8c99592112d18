#include "cst/security/operator_statements.hpp"

namespace cst::security {

namespace {

void field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += '=';
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

}  // namespace

std::string resume_statement(std::string_view account, Timestamp clears_since, std::string_view operator_name,
                             std::string_view reason, Timestamp time) {
  std::string out;
  field(out, "account", account);
  field(out, "clears_since_ns", std::to_string(clears_since.ns));
  field(out, "operator", operator_name);
  field(out, "reason", reason);
  field(out, "time_ns", std::to_string(time.ns));
  return out;
}

std::string order_approval_statement(std::string_view account, std::string_view client_order_id, std::string_view side,
                                     std::int64_t qty_raw, std::int64_t price_raw, std::int64_t notional_raw) {
  std::string out;
  field(out, "account", account);
  field(out, "client_order_id", client_order_id);
  field(out, "side", side);
  field(out, "qty_raw", std::to_string(qty_raw));
  field(out, "price_raw", std::to_string(price_raw));
  field(out, "notional_raw", std::to_string(notional_raw));
  return out;
}

}  // namespace cst::security
