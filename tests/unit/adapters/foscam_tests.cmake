# Unit tests of adapters/foscam/, included from this folder's CMakeLists.txt.

add_executable(foscam_reply_test foscam_reply_test.cc)
target_link_libraries(foscam_reply_test PRIVATE onvifgw_foscam_protocol GTest::gtest_main)
target_compile_options(foscam_reply_test PRIVATE ${ONVIFGW_WARNINGS})
add_test(NAME foscam_reply_test COMMAND foscam_reply_test)

add_executable(foscam_adapter_test foscam_adapter_test.cc)
target_link_libraries(foscam_adapter_test PRIVATE onvifgw_foscam GTest::gtest_main)
target_compile_options(foscam_adapter_test PRIVATE ${ONVIFGW_WARNINGS})
add_test(NAME foscam_adapter_test COMMAND foscam_adapter_test)
