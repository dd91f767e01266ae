# kb_add_plugin(<id> SOURCES <files...> [MANIFEST <manifest.json>])
#
# Builds a kb record-type plugin as a Qt plugin module. The manifest is the file the
# plugin's Q_PLUGIN_METADATA(IID KB_RECORDTYPE_IID FILE "...") names: named once, there
# (MANIFEST, if given, must be that same file). Checks that it is valid JSON whose "Id"
# equals <id> and whose "Api" is this SDK's, runs `kb plugins check` on it when built
# against an installed kb (KB_EXECUTABLE), hides symbols by default, and installs the
# module into KB_PLUGIN_INSTALL_DIR.
function(kb_add_plugin id)
  cmake_parse_arguments(ARG "" "MANIFEST" "SOURCES" ${ARGN})
  # Q_PLUGIN_METADATA may sit in a source or a header beside one: all are read, and a
  # change to any of them re-runs this.
  set(scanned "")
  foreach(source IN LISTS ARG_SOURCES)
    get_filename_component(source_path "${source}" ABSOLUTE)
    get_filename_component(source_dir "${source_path}" DIRECTORY)
    file(GLOB beside "${source_dir}/*.h" "${source_dir}/*.hpp" "${source_dir}/*.hh")
    list(APPEND scanned "${source_path}" ${beside})
  endforeach()
  list(REMOVE_DUPLICATES scanned)
  set(metadata_files "")
  set(metadata_sources "")
  foreach(candidate IN LISTS scanned)
    if(EXISTS "${candidate}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${candidate}")
      file(STRINGS "${candidate}" lines REGEX "Q_PLUGIN_METADATA")
      foreach(line IN LISTS lines)
        if(line MATCHES "FILE[ \t]+\"([^\"]+)\"")
          get_filename_component(candidate_dir "${candidate}" DIRECTORY)
          get_filename_component(named "${CMAKE_MATCH_1}" ABSOLUTE BASE_DIR "${candidate_dir}")
          get_filename_component(where "${candidate}" NAME)
          list(APPEND metadata_files "${named}")
          list(APPEND metadata_sources "${where} names ${CMAKE_MATCH_1}")
        endif()
      endforeach()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES metadata_files)
  list(LENGTH metadata_files named_count)
  if(named_count EQUAL 0)
    message(FATAL_ERROR "kb_add_plugin(${id}): none of the sources or the headers beside them "
      "declares Q_PLUGIN_METADATA(IID KB_RECORDTYPE_IID FILE \"${id}.json\")")
  endif()
  if(named_count GREATER 1)
    string(REPLACE ";" ", " said "${metadata_sources}")
    message(FATAL_ERROR "kb_add_plugin(${id}): Q_PLUGIN_METADATA names more than one file "
      "(${said}); a plugin has one manifest")
  endif()
  set(manifest "${metadata_files}")
  get_filename_component(manifest_name "${manifest}" NAME)
  if(ARG_MANIFEST)
    get_filename_component(given "${ARG_MANIFEST}" ABSOLUTE)
    if(NOT given STREQUAL manifest)
      string(REPLACE ";" ", " said "${metadata_sources}")
      message(FATAL_ERROR "kb_add_plugin(${id}): MANIFEST is ${ARG_MANIFEST} but "
        "Q_PLUGIN_METADATA in ${said}; they must be the same file (or leave MANIFEST out)")
    endif()
  endif()
  if(NOT EXISTS "${manifest}")
    message(FATAL_ERROR "kb_add_plugin(${id}): ${manifest}, which Q_PLUGIN_METADATA names, "
      "does not exist")
  endif()
  file(READ "${manifest}" manifest_text)
  string(JSON manifest_id ERROR_VARIABLE json_error GET "${manifest_text}" Id)
  if(json_error)
    message(FATAL_ERROR "kb_add_plugin(${id}): ${manifest}: ${json_error}")
  endif()
  if(NOT manifest_id STREQUAL id)
    message(FATAL_ERROR "kb_add_plugin(${id}): manifest Id '${manifest_id}' must equal the target name")
  endif()
  string(JSON manifest_api ERROR_VARIABLE api_error GET "${manifest_text}" Api)
  if(KB_SDK_API AND NOT api_error AND NOT manifest_api STREQUAL KB_SDK_API)
    message(FATAL_ERROR "kb_add_plugin(${id}): ${manifest_name} says \"Api\": ${manifest_api}, "
      "but this SDK is API ${KB_SDK_API}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${manifest}")

  add_library(${id} MODULE ${ARG_SOURCES})
  target_link_libraries(${id} PRIVATE Kb::Sdk)
  set_target_properties(${id} PROPERTIES
    AUTOMOC ON
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(KB_PLUGIN_OUTPUT_DIR)
    set_target_properties(${id} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${KB_PLUGIN_OUTPUT_DIR}")
  endif()
  if(NOT KB_PLUGIN_INSTALL_DIR)
    set(KB_PLUGIN_INSTALL_DIR "lib/kb/plugins")
  endif()
  install(TARGETS ${id} LIBRARY DESTINATION "${KB_PLUGIN_INSTALL_DIR}")

  # Against an installed kb, the manifest is checked as kb will load it (every key's name
  # and type, conflicts with the plugins kb ships) before the module is built.
  if(KB_EXECUTABLE AND EXISTS "${KB_EXECUTABLE}")
    set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${id}.manifest-checked")
    add_custom_command(OUTPUT "${stamp}"
      COMMAND "${KB_EXECUTABLE}" plugins check "${manifest}"
      COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
      DEPENDS "${manifest}"
      COMMENT "Checking ${manifest_name} with ${KB_EXECUTABLE}"
      VERBATIM)
    add_custom_target(${id}_manifest DEPENDS "${stamp}")
    add_dependencies(${id} ${id}_manifest)
  endif()
  set_property(GLOBAL APPEND PROPERTY KB_PLUGINS ${id})
endfunction()
