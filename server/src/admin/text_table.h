#pragma once
// Plain-text columns for terminal output: each column as wide as its widest cell.
#include <ostream>
#include <string>
#include <vector>

namespace fieldsync::server::detail {

// Prints `header` and `rows` (each as many cells as the header), two spaces between columns.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

// The number of characters (UTF-8 code points) in `text`.
std::size_t display_width(const std::string& text);

}  // namespace fieldsync::server::detail
