# The layering of ARCHITECTURE.md, enforced: a module's sources
# (src/<module>/, include/scalesim/<module>/) include only its own headers
# and the public headers (scalesim/<dep>/...) of modules it links, directly
# or through them, as declared by scalesim_library(... PUBLIC_DEPS ...
# PRIVATE_DEPS ...) in src/<module>/CMakeLists.txt; never another module's
# private headers (src/<other>/...). Third-party headers are free here:
# CMake's private link keeps them in the module that links them.
#
# Run at configure time (include() from the top CMakeLists.txt: a violation
# stops the configure) and as the test `layering` (cmake -P with
# -DSOURCE_DIR=...), whose companion `layering_rejects` runs it over
# tests/layering/ (a module that includes a module it does not link) and
# must fail.
#
# Usage: cmake -DSOURCE_DIR=<tree with src/ and include/> -P CheckLayering.cmake
if(CMAKE_SCRIPT_MODE_FILE)
  cmake_minimum_required(VERSION 3.25)  # policies of the script run
endif()

function(scalesim_check_layering source_dir)
  file(GLOB module_dirs LIST_DIRECTORIES true "${source_dir}/src/*")
  set(modules "")
  foreach(dir IN LISTS module_dirs)
    if(IS_DIRECTORY "${dir}" AND EXISTS "${dir}/CMakeLists.txt")
      get_filename_component(m "${dir}" NAME)
      list(APPEND modules "${m}")
      file(READ "${dir}/CMakeLists.txt" text)
      string(REGEX MATCHALL "scalesim::[a-z_]+" deps "${text}")
      list(TRANSFORM deps REPLACE "scalesim::" "")
      list(REMOVE_DUPLICATES deps)
      list(REMOVE_ITEM deps "${m}")
      set(direct_${m} "${deps}")
    endif()
  endforeach()
  # The transitive closure of each module's links.
  foreach(m IN LISTS modules)
    set(reach "")
    set(todo ${direct_${m}})
    while(todo)
      list(POP_FRONT todo d)
      if(NOT d IN_LIST reach)
        list(APPEND reach "${d}")
        list(APPEND todo ${direct_${d}})
      endif()
    endwhile()
    if(m IN_LIST reach)
      message(FATAL_ERROR "layering: module ${m} links itself through "
                          "${reach} (a cycle)")
    endif()
    set(reach_${m} "${reach}")
  endforeach()
  set(problems "")
  foreach(m IN LISTS modules)
    file(GLOB_RECURSE files "${source_dir}/src/${m}/*.cpp"
         "${source_dir}/src/${m}/*.hpp"
         "${source_dir}/include/scalesim/${m}/*.hpp")
    foreach(f IN LISTS files)
      file(STRINGS "${f}" lines REGEX "^#include \"")
      foreach(line IN LISTS lines)
        if(line MATCHES "^#include \"scalesim/([a-z_]+)/")
          set(other "${CMAKE_MATCH_1}")
          set(kind "public")
        elseif(line MATCHES "^#include \"([a-z_]+)/")
          set(other "${CMAKE_MATCH_1}")
          set(kind "private")
          if(NOT other IN_LIST modules)
            continue()
          endif()
        else()
          continue()
        endif()
        if(other STREQUAL m)
          continue()
        endif()
        file(RELATIVE_PATH rel "${source_dir}" "${f}")
        if(kind STREQUAL "private")
          list(APPEND problems "${rel}: ${line}: a private header of module "
                               "${other}")
        elseif(NOT other IN_LIST reach_${m})
          list(APPEND problems "${rel}: ${line}: module ${m} does not link "
                               "scalesim::${other}")
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "layering (ARCHITECTURE.md) violated:\n  ${text}")
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED SOURCE_DIR)
  scalesim_check_layering("${SOURCE_DIR}")
  message(STATUS "layering: every include follows the module links")
endif()
