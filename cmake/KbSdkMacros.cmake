# kb_add_plugin(<id> SOURCES <files...> MANIFEST <manifest.json>)
#
# Builds a kb record-type plugin as a Qt plugin module. Checks that the manifest is
# valid JSON whose "Id" equals <id> and is the file Q_PLUGIN_METADATA names, runs
# `kb plugins check` on it when built against an installed kb (KB_EXECUTABLE), hides
# symbols by default, and installs the module into KB_PLUGIN_INSTALL_DIR.
function(kb_add_plugin id)
  cmake_parse_arguments(ARG "" "MANIFEST" "SOURCES" ${ARGN})
  if(NOT ARG_MANIFEST)
    message(FATAL_ERROR "kb_add_plugin(${id}): MANIFEST is required")
  endif()
  get_filename_component(manifest "${ARG_MANIFEST}" ABSOLUTE)
  file(READ "${manifest}" manifest_text)
  string(JSON manifest_id ERROR_VARIABLE json_error GET "${manifest_text}" Id)
  if(json_error)
    message(FATAL_ERROR "kb_add_plugin(${id}): ${manifest}: ${json_error}")
  endif()
  if(NOT manifest_id STREQUAL id)
    message(FATAL_ERROR "kb_add_plugin(${id}): manifest Id '${manifest_id}' must equal the target name")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${manifest}")

  # The manifest is named twice, here and in Q_PLUGIN_METADATA(... FILE "..."): they must
  # be the same file, or kb would load a manifest nobody checked. The sources and the
  # headers beside them are read; a change to one of them re-runs this check.
  get_filename_component(manifest_name "${manifest}" NAME)
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
          get_filename_component(named "${CMAKE_MATCH_1}" NAME)
          get_filename_component(where "${candidate}" NAME)
          list(APPEND metadata_files "${named}")
          list(APPEND metadata_sources "${where} names ${named}")
        endif()
      endforeach()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES metadata_files)
  if(NOT metadata_files)
    message(FATAL_ERROR "kb_add_plugin(${id}): none of the sources or the headers beside them "
      "declares Q_PLUGIN_METADATA(IID KB_RECORDTYPE_IID FILE \"${manifest_name}\")")
  endif()
  if(NOT metadata_files STREQUAL manifest_name)
    string(REPLACE ";" ", " said "${metadata_sources}")
    message(FATAL_ERROR "kb_add_plugin(${id}): MANIFEST is ${manifest_name} but "
      "Q_PLUGIN_METADATA in ${said}; they must be the same file")
  endif()

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
