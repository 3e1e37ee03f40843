#include "adapters/simulated/frame_renderer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

namespace onvifgw::simulated {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr int64_t kBarSweepMs = 4000;

// The PTZ scene, in world units (u to the right, v upwards): the widest view is kViewWidth wide,
// pan +-1 moves its centre by kPanReach, tilt +-1 by kTiltReach; cells of kCell.
constexpr double kViewWidth = 1.0;
constexpr double kPanReach = 1.0;
constexpr double kTiltReach = 0.6;
constexpr double kMaxZoomStops = 3;  // 2^3: 8x at zoom 1
constexpr double kCell = 0.125;
constexpr int kMinorPerCell = 4;
// The cells that carry a number: the scene the head can see.
constexpr int kFirstColumn = -12, kLastColumn = 11;  // u in [-1.5, 1.5)
constexpr int kFirstRow = -8, kLastRow = 7;          // v in [-1, 1)

// 3x5 block glyphs for '0'..'9', ':' and the few other characters of the PTZ read-out, one row
// per entry, bit 2 = left column.
constexpr std::array<std::array<uint8_t, 5>, 18> kGlyphs = {{
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
    {0, 0, 7, 0, 0},  // -
    {0, 2, 7, 2, 0},  // +
    {0, 0, 0, 0, 2},  // .
    {7, 5, 7, 4, 4},  // P
    {7, 2, 2, 2, 2},  // T
    {7, 1, 2, 4, 7},  // Z
    {0, 0, 0, 0, 0},  // space and anything else
}};

size_t GlyphIndex(char ch) {
  if (ch >= '0' && ch <= '9') return static_cast<size_t>(ch - '0');
  static constexpr std::string_view kOthers = ":-+.PTZ";
  const size_t i = kOthers.find(ch);
  return i == std::string_view::npos ? kGlyphs.size() - 1 : 10 + i;
}

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

  // Draws `text` (digits, ':' and the characters of kGlyphs) with blocks of `scale` pixels;
  // returns the width used.
  int64_t Text(int64_t x, int64_t y, std::string_view text, int64_t scale, Color c) {
    int64_t start = x;
    for (char ch : text) {
      const size_t glyph = GlyphIndex(ch);
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

uint8_t Level(double value) { return static_cast<uint8_t>(std::clamp(value, 0.0, 255.0)); }

// The scene as the head sees it at `ptz`, over the whole picture. Everything that depends on one
// coordinate only is computed once per column or row, so a pixel costs a few table reads.
void DrawScene(RgbImage* image, const PtzPosition& ptz, uint8_t tint) {
  const int64_t w = image->width;
  const int64_t h = image->height;
  const double view_w = kViewWidth / std::exp2(kMaxZoomStops * std::clamp(ptz.zoom, 0.0, 1.0));
  const double per_pixel = view_w / static_cast<double>(w);  // square pixels
  const double left = std::clamp(ptz.pan, -1.0, 1.0) * kPanReach - view_w / 2;
  const double top =
      std::clamp(ptz.tilt, -1.0, 1.0) * kTiltReach + per_pixel * static_cast<double>(h) / 2;
  const int64_t line = std::max<int64_t>(w / 400, 2);  // the cells' white lines, in pixels

  // Per column: the cell, its red, and whether a line crosses it; the same per row.
  struct Cross {
    int64_t cell;
    int64_t minor;
    uint8_t level;
    uint8_t kind;  // 0 inside a cell, 1 a quarter-cell line, 2 a cell line
  };
  auto along = [&](int64_t n, double origin, double step) {
    std::vector<Cross> out(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const double at = origin + step * (static_cast<double>(i) + 0.5);
      out[i].cell = static_cast<int64_t>(std::floor(at / kCell));
      out[i].minor = static_cast<int64_t>(std::floor(at * kMinorPerCell / kCell));
      out[i].level = Level(128 + at * 80);
    }
    for (int64_t i = n - 1; i > 0; --i) {
      out[i].kind = out[i].cell != out[std::max<int64_t>(i - line, 0)].cell ? 2
                    : out[i].minor != out[i - 1].minor                      ? 1
                                                                            : 0;
    }
    if (n > 0) out[0].kind = 0;
    return out;
  };
  const std::vector<Cross> columns = along(w, left, per_pixel);
  const std::vector<Cross> rows = along(h, top, -per_pixel);  // rows go down: v decreases

  const uint8_t dim_tint = static_cast<uint8_t>(tint * 3 / 4);
  uint8_t* p = image->pixels.data();
  for (int64_t y = 0; y < h; ++y) {
    const Cross& row = rows[y];
    const uint8_t green = row.level;
    for (int64_t x = 0; x < w; ++x, p += 3) {
      const Cross& column = columns[x];
      const int kind = std::max(column.kind, row.kind);
      if (kind == 2) {
        p[0] = p[1] = p[2] = 235;
      } else if (kind == 1) {
        p[0] = static_cast<uint8_t>(column.level / 2);
        p[1] = static_cast<uint8_t>(green / 2);
        p[2] = static_cast<uint8_t>(tint / 2);
      } else if (((column.cell + row.cell) & 1) != 0) {
        p[0] = static_cast<uint8_t>(column.level * 3 / 4);
        p[1] = static_cast<uint8_t>(green * 3 / 4);
        p[2] = dim_tint;
      } else {
        p[0] = column.level;
        p[1] = green;
        p[2] = tint;
      }
    }
  }

  // Each visible cell's number, "column:row" counted from the scene's top-left cell (1:1).
  const double cell_px = kCell / per_pixel;
  const int64_t scale = static_cast<int64_t>(cell_px * 0.6 / 19);  // "NN:NN" is 19 blocks wide
  if (scale < 1) return;
  Canvas canvas(image);
  for (int64_t cj = rows.back().cell; cj <= rows.front().cell; ++cj) {
    const int64_t row = kLastRow - cj + 1;
    if (cj < kFirstRow || cj > kLastRow) continue;
    const auto y = static_cast<int64_t>(std::floor((-(cj + 1) * kCell + top) / per_pixel));
    for (int64_t ci = columns.front().cell; ci <= columns.back().cell; ++ci) {
      if (ci < kFirstColumn || ci > kLastColumn) continue;
      const int64_t column = ci - kFirstColumn + 1;
      const auto x = static_cast<int64_t>(std::floor((ci * kCell - left) / per_pixel));
      const std::string label = std::to_string(column) + ":" + std::to_string(row);
      canvas.Text(x + line + 2 * scale, y + line + 2 * scale, label, scale, {20, 20, 20});
    }
  }
}

// "P+0.00 T+0.00 Z0.00" on a dark plate in the bottom-right corner.
void DrawPtzReadout(RgbImage* image, const PtzPosition& ptz) {
  char text[40];
  std::snprintf(text, sizeof text, "P%+.2f T%+.2f Z%.2f", std::clamp(ptz.pan, -1.0, 1.0),
                std::clamp(ptz.tilt, -1.0, 1.0), std::clamp(ptz.zoom, 0.0, 1.0));
  const std::string_view readout(text);
  const int64_t w = image->width;
  const int64_t h = image->height;
  const int64_t scale = std::max<int64_t>(h / 100, 1);
  const int64_t text_w = static_cast<int64_t>(readout.size()) * 4 * scale;
  Canvas canvas(image);
  canvas.Fill(w - text_w - 2 * scale, h - 8 * scale, text_w + scale, 7 * scale, {16, 16, 16});
  canvas.Text(w - text_w - scale, h - 7 * scale, readout, scale, {255, 255, 255});
}

// Brightness, contrast and saturation (FrameSpec) over the whole picture: a table for the first
// two, and for saturation one multiply per channel around the pixel's grey, so that the cost stays
// a few operations per pixel. Nothing at all when every setting is 50.
void AdjustPicture(RgbImage* image, double brightness, double contrast, double saturation) {
  const bool tone = brightness != 50 || contrast != 50;
  const bool colour = saturation != 50;
  if (!tone && !colour) return;
  std::array<uint8_t, 256> levels{};
  const double gain = std::exp2((std::clamp(contrast, 0.0, 100.0) - 50) / 25);
  const double offset = (std::clamp(brightness, 0.0, 100.0) - 50) * 2;
  for (int v = 0; v < 256; ++v) levels[v] = Level(std::round((v - 128) * gain + 128 + offset));
  const auto scale = static_cast<int>(std::lround(std::clamp(saturation, 0.0, 100.0) / 50 * 256));
  uint8_t* p = image->pixels.data();
  uint8_t* const end = p + image->pixels.size();
  for (; p < end; p += 3) {
    if (colour) {
      const int grey = (77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8;
      for (int c = 0; c < 3; ++c) {
        p[c] = static_cast<uint8_t>(std::clamp(grey + (((p[c] - grey) * scale) >> 8), 0, 255));
      }
    }
    if (tone) {
      p[0] = levels[p[0]];
      p[1] = levels[p[1]];
      p[2] = levels[p[2]];
    }
  }
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

  if (spec.ptz) {
    DrawScene(&image, *spec.ptz, tint);
  } else {
    for (int64_t y = 0; y < h; ++y) {
      for (int64_t x = 0; x < w; ++x) {
        uint8_t* p = &image.pixels[(static_cast<size_t>(y) * w + x) * 3];
        p[0] = static_cast<uint8_t>(x * 200 / w);
        p[1] = static_cast<uint8_t>(y * 200 / h);
        p[2] = tint;
      }
    }
  }
  AdjustPicture(&image, spec.brightness, spec.contrast, spec.color_saturation);

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
  if (spec.ptz) DrawPtzReadout(&image, *spec.ptz);
  return image;
}

}  // namespace onvifgw::simulated
