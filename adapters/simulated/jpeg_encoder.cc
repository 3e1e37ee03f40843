#include "adapters/simulated/jpeg_encoder.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>

// clang-format off: jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>
// clang-format on

namespace onvifgw::simulated {
namespace {

// libjpeg reports errors through error_exit, which must not return: jump back to EncodeJpeg.
struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void OnError(j_common_ptr cinfo) {
  auto* errors = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, errors->message);
  std::longjmp(errors->jump, 1);
}

// The libjpeg part, kept free of objects with destructors because of setjmp/longjmp.
// On success *out/*out_size hold a malloc'ed buffer; on failure `message` says why.
bool Compress(const RgbImage& image, int quality, unsigned char** out, unsigned long* out_size,
              char* message) {
  jpeg_compress_struct cinfo;
  ErrorManager errors;
  cinfo.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = OnError;
  errors.message[0] = '\0';
  if (setjmp(errors.jump) != 0) {
    jpeg_destroy_compress(&cinfo);
    std::snprintf(message, JMSG_LENGTH_MAX, "%s", errors.message);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, out_size);
  cinfo.image_width = image.width;
  cinfo.image_height = image.height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  const size_t stride = static_cast<size_t>(image.width) * 3;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(&image.pixels[cinfo.next_scanline * stride]);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

adapter_sdk::Result<std::string> EncodeJpeg(const RgbImage& image, int quality) {
  if (image.width == 0 || image.height == 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return adapter_sdk::Error{"invalid image dimensions"};
  }
  if (quality < 1 || quality > 100) {
    return adapter_sdk::Error{"JPEG quality must be 1..100"};
  }
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  char message[JMSG_LENGTH_MAX] = {};
  bool ok = Compress(image, quality, &buffer, &size, message);
  std::string jpeg;
  if (ok) {
    jpeg.assign(reinterpret_cast<const char*>(buffer), size);
  }
  std::free(buffer);
  if (!ok) {
    return adapter_sdk::Error{std::string("JPEG encoding failed: ") + message};
  }
  return jpeg;
}

}  // namespace onvifgw::simulated
