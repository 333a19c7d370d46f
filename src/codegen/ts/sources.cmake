# The TypeScript emitter of switchboard-gen (emit_ts in codegen/emitters.hpp).
set(SWITCHBOARD_TS_EMITTER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/ts_emitter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/types.cpp
  ${CMAKE_CURRENT_LIST_DIR}/codecs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/declarations.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ts_support.cpp
)
# GoogleTest unit tests of the emitter (hand-built ModelSets, golden fragments); link with switchboard_codegen.
set(SWITCHBOARD_TS_EMITTER_TEST_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/ts_emitter_test.cpp
)
