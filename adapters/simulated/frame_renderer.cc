#include "adapters/simulated/frame_renderer.h"

#include <algorithm>
#include <array>
#include <string>

namespace onvifgw::simulated {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr int64_t kBarSweepMs = 4000;

// 3x5 block glyphs for '0'..'9' and ':', one row per entry, bit 2 = left column.
constexpr std::array<std::array<uint8_t, 5>, 11> kGlyphs = {{
    {7, 5, 5, 5, 7},  // 0
    {2, 6, 2, 2, 7},  // 1
    {7, 1, 7, 4, 7},  // 2
    {7, 1, 7, 1, 7},  // 3
    {5, 5, 7, 1, 1},  // 4
    {7, 4, 7, 1, 7},  // 5
    {7, 4, 7, 5, 7},  // 6
    {7, 1, 1, 1, 1},  // 7
    {7, 5, 7, 5, 7},  // 8
    {7, 5, 7, 1, 7},  // 9
    {0, 2, 0, 2, 0},  // :
}};

struct Color {
  uint8_t r, g, b;
};

class Canvas {
 public:
  explicit Canvas(RgbImage* image) : image_(image) {}

  void Fill(int64_t x0, int64_t y0, int64_t w, int64_t h, Color c) {
    int64_t x1 = std::min<int64_t>(x0 + w, image_->width);
    int64_t y1 = std::min<int64_t>(y0 + h, image_->height);
    for (int64_t y = std::max<int64_t>(y0, 0); y < y1; ++y) {
      for (int64_t x = std::max<int64_t>(x0, 0); x < x1; ++x) {
        uint8_t* p = &image_->pixels[(static_cast<size_t>(y) * image_->width + x) * 3];
        p[0] = c.r;
        p[1] = c.g;
        p[2] = c.b;
      }
    }
  }

  // Draws `text` (digits and ':') with blocks of `scale` pixels; returns the width used.
  int64_t Text(int64_t x, int64_t y, std::string_view text, int64_t scale, Color c) {
    int64_t start = x;
    for (char ch : text) {
      size_t glyph = ch == ':' ? 10 : static_cast<size_t>(ch - '0');
      for (int row = 0; row < 5; ++row) {
        for (int col = 0; col < 3; ++col) {
          if (kGlyphs[glyph][row] & (4 >> col)) {
            Fill(x + col * scale, y + row * scale, scale, scale, c);
          }
        }
      }
      x += 4 * scale;
    }
    return x - start;
  }

 private:
  RgbImage* image_;
};

uint32_t Fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (char c : text) {
    hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  }
  return hash;
}

std::string TwoDigits(int64_t value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

}  // namespace

RgbImage RenderFrame(const FrameSpec& spec) {
  RgbImage image;
  image.width = std::max<uint32_t>(spec.width, 16);
  image.height = std::max<uint32_t>(spec.height, 16);
  image.pixels.resize(static_cast<size_t>(image.width) * image.height * 3);
  const int64_t w = image.width;
  const int64_t h = image.height;
  const uint32_t hash = Fnv1a(spec.camera_id);
  const auto tint = static_cast<uint8_t>(64 + (hash & 0x7f));

  for (int64_t y = 0; y < h; ++y) {
    for (int64_t x = 0; x < w; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * w + x) * 3];
      p[0] = static_cast<uint8_t>(x * 200 / w);
      p[1] = static_cast<uint8_t>(y * 200 / h);
      p[2] = tint;
    }
  }

  Canvas canvas(&image);
  const int64_t ms = duration_cast<milliseconds>(spec.time.time_since_epoch()).count();
  const int64_t ms_in_day = ((ms % 86'400'000) + 86'400'000) % 86'400'000;

  // The sweeping bar.
  const int64_t bar_width = std::max<int64_t>(w / 16, 2);
  const int64_t bar_x = (ms_in_day % kBarSweepMs) * w / kBarSweepMs;
  canvas.Fill(bar_x, 0, bar_width, h, {255, 255, 255});

  // HH:MM:SS on a dark plate.
  const int64_t scale = std::max<int64_t>(h / 40, 2);
  const int64_t seconds = ms_in_day / 1000;
  const std::string clock = TwoDigits(seconds / 3600) + ":" + TwoDigits(seconds / 60 % 60) + ":" +
                            TwoDigits(seconds % 60);
  canvas.Fill(scale, scale, (4 * 8 + 1) * scale, 7 * scale, {16, 16, 16});
  canvas.Text(2 * scale, 2 * scale, clock, scale, {255, 255, 0});

  // The camera's signature: 16 blocks along the bottom, light for a set bit of its hash.
  const int64_t block = std::max<int64_t>(w / 32, 2);
  for (int bit = 0; bit < 16; ++bit) {
    uint8_t level = (hash >> bit) & 1 ? 230 : 30;
    canvas.Fill(block + bit * block, h - 2 * block, block, block, {level, level, level});
  }

  if (spec.motion_active) {
    const int64_t side = std::max<int64_t>(h / 8, 4);
    canvas.Fill(w - side - scale, scale, side, side, {230, 20, 20});
  }
  return image;
}

}  // namespace onvifgw::simulated
