// dump_records: a test tool that decrypts every stored enquiry into a JSON
// file, so end-to-end tests can compare what was stored with what they
// sent. It writes only to the file it is given (never to the terminal) and
// is built for `make check`, never installed.
//
// usage: dump_records CONFIG OUTPUT.json
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/config.h"
#include "core/keys.h"
#include "core/sqlite_handle.h"
#include "core/store.h"
#include "open/open.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: dump_records CONFIG OUTPUT.json\n";
    return 2;
  }
  try {
    const sealform::Config config = sealform::load_config(argv[1]);
    auto store = sealform::open_sqlite_store(config);
    std::vector<std::string> references;
    {
      sealform::sqlite::Connection db(config.database);
      sealform::sqlite::StatementScope query(db.cached("SELECT reference FROM enquiries"));
      while (query->step()) references.push_back(query->column_text(0));
    }
    std::map<std::string, sealform::SealPrivateKey> keys;
    nlohmann::json out = nlohmann::json::object();
    for (const std::string& reference : references) {
      auto record = store->find(reference);
      if (!record) continue;
      const std::string& id = record->sealed.key_id;
      if (keys.count(id) == 0) {
        keys.emplace(id, sealform::SealPrivateKey::load(
                             sealform::private_key_path(config.key_directory, id), std::nullopt));
      }
      nlohmann::json fields = nlohmann::json::object();
      for (const auto& [name, value] :
           sealform::open_record(keys.at(id), reference, record->sealed)) {
        fields[name] = value;
      }
      fields["category"] = record->category;
      fields["retain"] = record->retain;
      out[reference] = fields;
    }
    std::ofstream file(argv[2], std::ios::binary);
    file << out.dump();
    return file ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "dump_records: " << e.what() << "\n";
    return 1;
  }
}
