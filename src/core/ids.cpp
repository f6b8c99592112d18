#include "cst/core/ids.hpp"

#include <stdexcept>

namespace cst {

ClientOrderId ClientOrderIdGenerator::next() {
  auto id = ClientOrderId::parse(prefix_ + "-" + std::to_string(next_++));
  // The prefix is validated by whoever builds the generator; failing here is a programming error.
  if (!id.ok()) throw std::logic_error("client order id prefix is invalid: " + id.error().message);
  return *id;
}

}  // namespace cst
