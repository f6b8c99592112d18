// Opening a paper-exchange file: create a new one, or check that an existing one is ours, of a
// format this build reads, undamaged and for the same instrument, before anything writes to it.
#include <sqlite3.h>

#include <filesystem>
#include <system_error>

#include "paper_exchange_store.hpp"

namespace cst {
namespace {

constexpr const char* kLabel = "paper exchange";

Error not_ours(const std::string& path, const std::string& why) {
  return make_error(ErrorCode::kCorruption, std::string(kLabel) + " '" + path + "' is not a paper-exchange file (" +
                                                why + "); refusing to touch it");
}

constexpr const char* kSchemaSql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE orders(client_order_id TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL UNIQUE,"
    " venue_order_id TEXT NOT NULL, side TEXT NOT NULL, type TEXT NOT NULL, qty INTEGER NOT NULL,"
    " limit_price INTEGER NOT NULL, post_only INTEGER NOT NULL, filled INTEGER NOT NULL, status TEXT NOT NULL,"
    " created_ns INTEGER NOT NULL, active_from_ns INTEGER NOT NULL, resting INTEGER NOT NULL,"
    " reason TEXT NOT NULL);"
    // Matching reads only the working orders of a file that only grows.
    "CREATE INDEX orders_working ON orders(seq) WHERE status IN ('open', 'partially_filled');"
    "CREATE TABLE fills(trade_id INTEGER PRIMARY KEY NOT NULL, client_order_id TEXT NOT NULL,"
    " side TEXT NOT NULL, qty INTEGER NOT NULL, price INTEGER NOT NULL, fee INTEGER NOT NULL,"
    " maker INTEGER NOT NULL, time_ns INTEGER NOT NULL);"
    "CREATE TABLE balances(asset TEXT PRIMARY KEY NOT NULL, amount INTEGER NOT NULL) WITHOUT ROWID;";

}  // namespace

Error PaperExchangeStore::error(ErrorCode code, const std::string& what) const {
  return make_error(code, std::string(kLabel) + " '" + path() + "': " + what);
}

Result<std::unique_ptr<PaperExchangeStore>> PaperExchangeStore::open(const std::string& path,
                                                                     const PaperExchangeConfig& config) {
  Status valid = config.instrument.validate();
  if (valid.ok()) valid = check_fill_model(config.model);
  if (!valid.ok())
    return make_error(valid.error().code, std::string(kLabel) + " '" + path + "': " + valid.error().message);
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  // SQLite would take an empty file for a new database. Ours is never empty once created, so an
  // empty one is a damaged exchange (or a crash while creating it): never start it afresh.
  if (existed && std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0)
    return not_ours(path, "the file is empty; if a crash interrupted its creation, delete it to start afresh");

  auto db =
      sqlite::Database::open(path, kLabel, existed ? sqlite::OpenMode::kReadWrite : sqlite::OpenMode::kReadWriteCreate);
  if (!db.ok()) return db.error();
  std::unique_ptr<PaperExchangeStore> store(new PaperExchangeStore(std::move(*db), config));
  Status s = existed ? store->check_format() : store->create(config);
  if (!s.ok()) {
    if (!existed) {  // ours alone: leave no half-made file for the next open to refuse
      store.reset();
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    }
    return s.error();
  }
  if (existed) {
    s = store->prepare_statements();
    if (!s.ok()) return s.error();
  }
  s = store->load_config(config);
  if (!s.ok()) return s.error();
  if (existed) {
    // Switching a file in rollback-journal mode (as the sqlite3 shell may leave it) to WAL
    // rewrites its header: only now that it is known to be ours, for this instrument, with
    // progress that reads, so that a refused file is never written.
    auto progress = store->read_progress();
    if (!progress.ok()) return progress.error();
    s = store->use_wal();
    if (!s.ok()) return s.error();
  }
  return store;
}

Status PaperExchangeStore::use_wal() {
  // Commits survive the process being killed, not a power cut (see paper_exchange.hpp).
  auto mode = db_.prepare("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.error();
  auto row = mode->step();
  if (!row.ok()) return row.error();
  if (!*row || mode->text(0) != "wal") return error(ErrorCode::kIo, "cannot switch to WAL mode");
  return db_.exec("PRAGMA synchronous = NORMAL");
}

Status PaperExchangeStore::create(const PaperExchangeConfig& c) {
  Status s = use_wal();
  if (!s.ok()) return s;
  auto tx = begin();
  if (!tx.ok()) return tx.error();
  const std::string app_id = "PRAGMA application_id = " + std::to_string(kPaperExchangeApplicationId);
  s = db_.exec(app_id.c_str());
  if (s.ok()) s = db_.exec(kSchemaSql);
  if (s.ok()) s = db_.exec("INSERT INTO balances(asset, amount) VALUES ('cash', 0), ('base', 0)");
  if (s.ok()) s = prepare_statements();
  if (!s.ok()) return s;
  const Instrument& i = c.instrument;
  const FillModel& m = c.model;
  const std::pair<const char*, std::int64_t> ints[] = {
      {"version", kPaperExchangeVersion},
      {"price_decimals", i.price_decimals},
      {"qty_decimals", i.qty_decimals},
      {"tick_size", i.tick_size.raw},
      {"lot_step", i.lot_step.raw},
      {"min_notional", i.min_notional.raw},
      {"maker_fee_ppm", i.maker_fee.ppm},
      {"taker_fee_ppm", i.taker_fee.ppm},
      {"allow_short", c.allow_short ? 1 : 0},
      {"slippage_bps", m.slippage_bps},
      {"spread_bps", m.spread_bps},
      {"latency_ns", m.latency.ns},
      {"seed", static_cast<std::int64_t>(m.seed)},
      {"starting_cash", c.starting_cash.raw},
      {"starting_base", c.starting_base.raw},
  };
  for (const auto& [key, value] : ints) {
    s = set_meta(key, value);
    if (!s.ok()) return s;
  }
  const std::pair<const char*, std::string> texts[] = {
      {"format", kPaperExchangeFormat},
      {"symbol", i.symbol},
      {"partial_probability", round_trip_text(m.partial_probability)},
      {"partial_ratio", round_trip_text(m.partial_ratio)},
  };
  for (const auto& [key, value] : texts) {
    s = set_meta(key, value);
    if (!s.ok()) return s;
  }
  PaperExchangeProgress start;
  start.rng = Rng(m.seed).state();
  s = write_progress(start);
  if (s.ok()) s = write_balances(VenueBalances{c.starting_cash, c.starting_base});
  if (!s.ok()) return s;
  return tx->commit();
}

Status PaperExchangeStore::check_format() {
  // The first read of a file that is not SQLite (or whose header is damaged) fails here.
  auto tables = db_.query_int(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('meta', 'orders', 'fills', 'balances')");
  if (!tables.ok()) {
    const int code = sqlite3_errcode(db_.handle()) & 0xff;
    if (code == SQLITE_NOTADB) return not_ours(path(), "not an SQLite database");
    return error(ErrorCode::kCorruption, "the file is damaged: " + std::string(sqlite3_errmsg(db_.handle())) +
                                             " (sqlite code " + std::to_string(code) + ")");
  }
  auto app_id = db_.query_int("PRAGMA application_id");
  if (!app_id.ok()) return app_id.error();
  if (app_id->value_or(0) != kPaperExchangeApplicationId)
    return not_ours(path(), "SQLite application_id " + std::to_string(app_id->value_or(0)));
  if (tables->value_or(0) != 4) return not_ours(path(), "its meta, orders, fills or balances table is missing");
  auto get = db_.prepare("SELECT value, typeof(value) FROM meta WHERE key = ?1");
  if (!get.ok()) return get.error();
  get_meta_ = std::move(*get);
  auto format = meta_text("format");
  if (!format.ok() || *format != kPaperExchangeFormat)
    return not_ours(path(), "meta has no format 'cst-paper-exchange'");
  auto version = meta_int("version");
  if (!version.ok()) return not_ours(path(), "meta has no version");
  if (*version > kPaperExchangeVersion)
    return error(ErrorCode::kUnsupported, "format version " + std::to_string(*version) +
                                              " is newer than this build reads (" +
                                              std::to_string(kPaperExchangeVersion) + "); use a newer cst");
  if (*version < 1) return not_ours(path(), "format version " + std::to_string(*version));
  // Pages cut off by a truncated copy or a bad disk show up here, not at some later bar. The
  // full check, not quick_check: an index that disagrees with its table (an order id edited in
  // the table's page only) would make an order listed as open unknown to query() and cancel(),
  // and let its id be placed twice. It costs ~0.3 s for 200k orders and fills, once per open.
  auto check = db_.prepare("PRAGMA integrity_check");
  if (!check.ok()) return check.error();
  auto row = check->step();
  if (!row.ok()) return error(ErrorCode::kCorruption, "the file is damaged: " + row.error().message);
  if (!*row || check->text(0) != "ok")
    return error(ErrorCode::kCorruption, "the file is damaged: " + std::string(*row ? check->text(0) : "no answer"));
  return Status::Ok();
}

Status PaperExchangeStore::load_config(const PaperExchangeConfig& requested) {
  auto symbol = meta_text("symbol");
  if (!symbol.ok()) return symbol.error();
  if (*symbol != requested.instrument.symbol)
    return error(ErrorCode::kInvalidArgument,
                 "trades '" + *symbol + "', not '" + requested.instrument.symbol + "'; use another file");
  PaperExchangeConfig c = requested;
  Instrument& i = c.instrument;
  FillModel& m = c.model;
  struct IntField {
    const char* key;
    std::int64_t* out;
  };
  std::int64_t price_decimals = 0, qty_decimals = 0, allow_short = 0, seed = 0;
  const IntField fields[] = {
      {"price_decimals", &price_decimals},     {"qty_decimals", &qty_decimals},
      {"tick_size", &i.tick_size.raw},         {"lot_step", &i.lot_step.raw},
      {"min_notional", &i.min_notional.raw},   {"maker_fee_ppm", &i.maker_fee.ppm},
      {"taker_fee_ppm", &i.taker_fee.ppm},     {"allow_short", &allow_short},
      {"slippage_bps", &m.slippage_bps},       {"spread_bps", &m.spread_bps},
      {"latency_ns", &m.latency.ns},           {"seed", &seed},
      {"starting_cash", &c.starting_cash.raw}, {"starting_base", &c.starting_base.raw},
  };
  for (const IntField& f : fields) {
    auto v = meta_int(f.key);
    if (!v.ok()) return v.error();
    *f.out = *v;
  }
  // Raw values mean nothing in other units: a file of cents read as dollars would be a lie.
  if (price_decimals != requested.instrument.price_decimals || qty_decimals != requested.instrument.qty_decimals)
    return error(ErrorCode::kInvalidArgument, "'" + *symbol + "' has price/qty decimals " +
                                                  std::to_string(price_decimals) + "/" + std::to_string(qty_decimals) +
                                                  " in the file but " +
                                                  std::to_string(requested.instrument.price_decimals) + "/" +
                                                  std::to_string(requested.instrument.qty_decimals) + " in the config");
  c.allow_short = allow_short != 0;
  m.seed = static_cast<std::uint64_t>(seed);
  const std::pair<const char*, double*> doubles[] = {{"partial_probability", &m.partial_probability},
                                                     {"partial_ratio", &m.partial_ratio}};
  for (const auto& [key, out] : doubles) {
    auto text = meta_text(key);
    if (!text.ok()) return text.error();
    auto v = parse_round_trip(*text);
    if (!v.ok()) return error(ErrorCode::kCorruption, std::string("meta ") + key + ": " + v.error().message);
    *out = *v;
  }
  Status valid = i.validate();
  if (!valid.ok()) return error(ErrorCode::kCorruption, "recorded instrument: " + valid.error().message);
  // The recorded knobs drive matching: a partial ratio of 5.5 would fill 5.5 times an order.
  valid = check_fill_model(m);
  if (!valid.ok()) return error(ErrorCode::kCorruption, "recorded " + valid.error().message);
  config_ = std::move(c);
  return Status::Ok();
}

Result<std::int64_t> PaperExchangeStore::meta_int(const char* key) {
  get_meta_.bind(1, std::string_view(key));
  auto row = get_meta_.step();
  const bool found = row.ok() && *row && get_meta_.text(1) == "integer";
  const std::int64_t value = found ? get_meta_.int64(0) : 0;
  get_meta_.reset();
  if (!row.ok()) return row.error();
  if (!found) return error(ErrorCode::kCorruption, std::string("meta '") + key + "' is missing or not an integer");
  return value;
}

Result<std::string> PaperExchangeStore::meta_text(const char* key) {
  get_meta_.bind(1, std::string_view(key));
  auto row = get_meta_.step();
  const bool found = row.ok() && *row && get_meta_.text(1) == "text";
  std::string value = found ? std::string(get_meta_.text(0)) : std::string();
  get_meta_.reset();
  if (!row.ok()) return row.error();
  if (!found) return error(ErrorCode::kCorruption, std::string("meta '") + key + "' is missing or not text");
  return value;
}

Status PaperExchangeStore::set_meta(const char* key, std::int64_t value) {
  return set_meta_.bind(1, std::string_view(key)).bind(2, value).run();
}

Status PaperExchangeStore::set_meta(const char* key, const std::string& value) {
  return set_meta_.bind(1, std::string_view(key)).bind(2, std::string_view(value)).run();
}

}  // namespace cst
