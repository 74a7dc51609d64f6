{
  "targets": [
    {
      "target_name": "kindling_native",
      "sources": [
        "src/addon.cc",
        "src/cpu.cc",
        "src/elementwise.cc",
        "src/gemm.cc",
        "src/host_memory.cc",
        "src/select.cc",
        "src/copy.cc",
        "src/scatter.cc",
        "src/threadpool.cc",
        "src/window.cc",
        "src/batch_norm.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++14", "-std=gnu++17", "-std=c++14"],
      "cflags_cc": ["-std=c++17", "-O3", "-Wno-psabi", "-fexceptions", "-ffp-contract=fast", "-fno-math-errno"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "11.0",
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-ffp-contract=fast", "-fno-math-errno"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17", "/O2"] }
      }
    }
  ]
}
