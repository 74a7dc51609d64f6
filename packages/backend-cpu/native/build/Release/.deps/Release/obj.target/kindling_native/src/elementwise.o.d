cmd_Release/obj.target/kindling_native/src/elementwise.o := g++ -o Release/obj.target/kindling_native/src/elementwise.o ../src/elementwise.cc '-DNODE_GYP_MODULE_NAME=kindling_native' '-DUSING_UV_SHARED=1' '-DUSING_V8_SHARED=1' '-DV8_DEPRECATION_WARNINGS=1' '-D_GLIBCXX_USE_CXX11_ABI=1' '-D_FILE_OFFSET_BITS=64' '-D_LARGEFILE_SOURCE' '-D__STDC_FORMAT_MACROS' '-DOPENSSL_NO_PINSHARED' '-DOPENSSL_THREADS' '-DNAPI_VERSION=8' '-DNAPI_CPP_EXCEPTIONS' '-DNODE_ADDON_API_DISABLE_DEPRECATED' '-DBUILDING_NODE_EXTENSION' -I/usr/include/node -I/usr/src -I/usr/deps/openssl/config -I/usr/deps/openssl/openssl/include -I/usr/deps/uv/include -I/usr/deps/zlib -I/usr/deps/v8/include -I../../../../node_modules/.pnpm/node-addon-api@8.9.2/node_modules/node-addon-api  -fPIC -pthread -Wall -Wextra -Wno-unused-parameter -m64 -O3 -fno-omit-frame-pointer -fno-rtti -std=c++17 -O3 -Wno-psabi -fexceptions -ffp-contract=off -fno-math-errno -MMD -MF ./Release/.deps/Release/obj.target/kindling_native/src/elementwise.o.d.raw   -c
Release/obj.target/kindling_native/src/elementwise.o: \
 ../src/elementwise.cc ../src/common.h ../src/kernels.h \
 ../src/threadpool.h
../src/elementwise.cc:
../src/common.h:
../src/kernels.h:
../src/threadpool.h:
