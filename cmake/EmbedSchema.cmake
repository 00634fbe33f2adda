# Generates a C++ source embedding schema/model.json and schema/NNNN_*.sql, so binaries carry
# the model and bookkeeping migrations they were built with (no files to install beside them).
# Usage: cmake -DSCHEMA_DIR=... -DOUTPUT=... -P EmbedSchema.cmake
file(READ "${SCHEMA_DIR}/model.json" model_json)
file(GLOB sql_files "${SCHEMA_DIR}/[0-9][0-9][0-9][0-9]_*.sql")
list(SORT sql_files)
set(entries "")
foreach(path IN LISTS sql_files)
  get_filename_component(name "${path}" NAME_WE)
  string(SUBSTRING "${name}" 0 4 version)
  string(SUBSTRING "${name}" 5 -1 label)
  math(EXPR version "${version}")
  file(READ "${path}" sql)
  string(APPEND entries "      {${version}, \"${label}\", R\"fieldsync_sql(${sql})fieldsync_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from schema/ by cmake/EmbedSchema.cmake. Do not edit.
#include \"fieldsync/sqlite/embedded_schema.h\"

namespace fieldsync::sqlite {

std::string_view embedded_model_json() {
  return R\"fieldsync_model(${model_json})fieldsync_model\";
}

const std::vector<Migration>& embedded_migrations() {
  static const std::vector<Migration> migrations = {
${entries}  };
  return migrations;
}

}  // namespace fieldsync::sqlite
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
