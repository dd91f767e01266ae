#include "indexer/spelling.h"

#include <xapian.h>

namespace kb::search {

bool isSpellingWord(std::string_view term)
{
    if (term.size() < 3 || term.size() > 32)
        return false;
    for (char c : term)
        if (c < 'a' || c > 'z')
            return false;
    return true;
}

void addSpellings(Xapian::WritableDatabase &db, const Xapian::Document &doc)
{
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        if (isSpellingWord(*t))
            db.add_spelling(*t);
}

void removeSpellings(Xapian::WritableDatabase &db, const Xapian::Document &doc)
{
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        if (isSpellingWord(*t))
            db.remove_spelling(*t);
}

void removeSpellingsOf(Xapian::WritableDatabase &db, const std::string &uniqueTerm)
{
    Xapian::PostingIterator p = db.postlist_begin(uniqueTerm);
    if (p != db.postlist_end(uniqueTerm))
        removeSpellings(db, db.get_document(*p));
}

} // namespace kb::search
