# The C++ emitter of switchboard-gen (one aggregated header + source per model set; see cpp_emitter.cpp).
set(SWITCHBOARD_CPP_EMITTER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cpp_emitter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/naming.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/declarations.cpp
  ${CMAKE_CURRENT_LIST_DIR}/codec.cpp
)
