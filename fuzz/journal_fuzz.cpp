// Fuzzes the journal's text handling with its two promises as properties:
//   1. whatever bytes a note carries, the payload stored is one valid JSON object and the kind
//      is never a reserved one unless the note was rewritten as invalid_note;
//   2. any bytes escaped by append_json_string form a valid JSON string.
// The syntax checker itself must never crash or recurse without bound on hostile input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cst/audit/json_writer.hpp"
#include "cst/audit/record_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)cst::audit::is_json_object(input);

  // First line is the note's kind, the rest its json.
  const std::size_t nl = input.find('\n');
  cst::NoteRecord note;
  note.kind = std::string(input.substr(0, nl == std::string_view::npos ? input.size() : nl));
  note.json = nl == std::string_view::npos ? std::string() : std::string(input.substr(nl + 1));
  std::string kind, payload;
  cst::audit::format_note(note, &kind, &payload);
  if (!cst::audit::is_json_object(payload)) std::abort();
  if (kind != "invalid_note" && !cst::audit::is_valid_note_kind(kind)) std::abort();

  std::string quoted = "{\"k\":";
  cst::audit::append_json_string(&quoted, input);
  quoted += "}";
  if (!cst::audit::is_json_object(quoted)) std::abort();
  return 0;
}
