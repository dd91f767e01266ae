# kb_add_plugin(<id> SOURCES <files...> MANIFEST <manifest.json>)
#
# Builds a kb record-type plugin as a Qt plugin module. Checks that the manifest is
# valid JSON whose "Id" equals <id>, hides symbols by default, and installs the module
# into KB_PLUGIN_INSTALL_DIR.
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
  set_property(GLOBAL APPEND PROPERTY KB_PLUGINS ${id})
endfunction()
