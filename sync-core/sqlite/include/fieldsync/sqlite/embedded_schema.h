#pragma once
// The domain model and bookkeeping migrations compiled into the library from schema/, so a
// binary always runs the model it was built and tested with.
#include <string_view>
#include <vector>

#include "fieldsync/sqlite/migrations.h"

namespace fieldsync::sqlite {

std::string_view embedded_model_json();
const std::vector<Migration>& embedded_migrations();

}  // namespace fieldsync::sqlite
