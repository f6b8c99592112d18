// SecureBuffer: memory for secrets (API secrets, passphrases, derived keys).
//
// Allocated with sodium_malloc: locked in RAM (never swapped), guard pages around it, excluded
// from core dumps, and overwritten with zeros when freed. Move-only, so a secret has exactly
// one owner; never convert one to std::string (that would leave copies on the normal heap).
// Construction aborts only if libsodium cannot initialise; an allocation failure throws
// std::bad_alloc like any other allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace cst::security {

// Initialises libsodium once (thread-safe); every entry point of this module calls it.
void ensure_sodium();

class SecureBuffer {
 public:
  SecureBuffer() = default;
  explicit SecureBuffer(std::size_t size);
  // Copies `bytes` into a new locked buffer; the caller wipes its own copy.
  static SecureBuffer copy_of(std::span<const std::uint8_t> bytes);
  static SecureBuffer copy_of(std::string_view text);
  ~SecureBuffer();
  SecureBuffer(SecureBuffer&& other) noexcept;
  SecureBuffer& operator=(SecureBuffer&& other) noexcept;
  SecureBuffer(const SecureBuffer&) = delete;
  SecureBuffer& operator=(const SecureBuffer&) = delete;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  // For APIs that take text (HMAC signing of a request); do not keep the view.
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }
  // Constant time: how long it takes says nothing about where two secrets differ.
  bool equals(std::span<const std::uint8_t> other) const;

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// Overwrites memory the compiler may not optimise the write away from (sodium_memzero).
void wipe(void* data, std::size_t size);

}  // namespace cst::security
