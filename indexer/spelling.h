#pragma once

#include <string>
#include <string_view>

namespace Xapian {
class Database;
class Document;
class WritableDatabase;
} // namespace Xapian

namespace kb::search {

// "Did you mean": Xapian's own spelling table holds every plain Latin-script word of the
// records (one count per record that has it), kept in step with adds, replaces and
// deletes, so Database::get_spelling_suggestion() proposes only words records contain.
void addSpellings(Xapian::WritableDatabase &db, const Xapian::Document &doc);
void removeSpellings(Xapian::WritableDatabase &db, const Xapian::Document &doc);
// Before replacing or deleting the document indexed under `uniqueTerm` (its path term).
void removeSpellingsOf(Xapian::WritableDatabase &db, const std::string &uniqueTerm);

// A word the spelling table holds: 3 to 32 ASCII letters, lower case (terms are folded).
bool isSpellingWord(std::string_view term);

} // namespace kb::search
