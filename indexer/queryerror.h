#pragma once

#include <stdexcept>
#include <string>

namespace kb::search {

// A query kb cannot parse: the message names the place, the suggestion is a corrected
// query or a hint. Never thrown for queries that are merely unlikely to match.
class QueryError : public std::runtime_error {
public:
    QueryError(const std::string &message, std::string suggestion)
        : std::runtime_error(message), suggestion(std::move(suggestion))
    {
    }
    std::string suggestion;
};

} // namespace kb::search
