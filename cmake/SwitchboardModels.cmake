# switchboard_add_models(TARGET <target> DIR <yaml dir> [MODULES nick[:package]=dir ...])
#
# A module's classes travel as "<package>.<Name>" (Serverpod writes the Dart package name, e.g.
# "serverpod_auth.UserInfo" for the module nicknamed auth): MODULES auth:serverpod_auth=path/to/auth. Without
# ":package" the nickname is used as the package name.
#
# Runs switchboard-gen (C++) on the protocol YAML under DIR (and the modules) at build time, into
# ${CMAKE_CURRENT_BINARY_DIR}/<target>_models/, and adds the result to <target>:
#   switchboard_models.hpp   include it as "switchboard_models.hpp"
#   switchboard_models.cpp
# and links <target> with switchboard_model (the runtime).
#
# Why one aggregated header + source per model set rather than a pair per model: the OUTPUT list of
# add_custom_command must be known at configure time. Computing one name per model would mean parsing the YAML in
# CMake (a file may hold any class name) or trusting file names; a fixed pair is always right. The YAML files are
# globbed with CONFIGURE_DEPENDS, so adding or removing one re-runs the configure step and the generator, and
# editing one re-runs the generator (DEPENDS lists every file, and switchboard-gen itself).
function(switchboard_add_models)
  cmake_parse_arguments(ARG "" "TARGET;DIR" "MODULES" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_DIR)
    message(FATAL_ERROR "switchboard_add_models: TARGET and DIR are required")
  endif()
  get_filename_component(dir "${ARG_DIR}" ABSOLUTE)
  file(GLOB_RECURSE yaml_files CONFIGURE_DEPENDS "${dir}/*.yaml")
  set(module_args)
  foreach(module IN LISTS ARG_MODULES)
    string(FIND "${module}" "=" eq)
    if(eq LESS 1)
      message(FATAL_ERROR "switchboard_add_models: MODULES takes nick[:package]=dir, not '${module}'")
    endif()
    string(SUBSTRING "${module}" 0 ${eq} nick)
    math(EXPR rest "${eq} + 1")
    string(SUBSTRING "${module}" ${rest} -1 module_dir)
    get_filename_component(module_dir "${module_dir}" ABSOLUTE)
    file(GLOB_RECURSE module_yaml CONFIGURE_DEPENDS "${module_dir}/*.yaml")
    list(APPEND yaml_files ${module_yaml})
    list(APPEND module_args --module "${nick}=${module_dir}")
  endforeach()

  set(out "${CMAKE_CURRENT_BINARY_DIR}/${ARG_TARGET}_models")
  set(outputs "${out}/switchboard_models.hpp" "${out}/switchboard_models.cpp")
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND switchboard-gen --lang cpp --out "${out}" ${module_args} "${dir}"
    DEPENDS ${yaml_files} switchboard-gen
    COMMENT "switchboard-gen: C++ models of ${ARG_TARGET}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE ${outputs})
  target_include_directories(${ARG_TARGET} PUBLIC "${out}")
  target_link_libraries(${ARG_TARGET} PUBLIC switchboard_model)
endfunction()
