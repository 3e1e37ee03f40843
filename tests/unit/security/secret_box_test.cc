#include "security/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace onvifgw::security {
namespace {

class SecretBoxFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/onvifgw-secretbox-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const char* name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

SecretBox TestBox(char fill = 'k') { return SecretBox::FromKey(std::string(32, fill)).value(); }

TEST(SecretBox, RoundTripAndFormat) {
  const SecretBox box = TestBox();
  for (const std::string& plain : {std::string(), std::string("hunter2"), std::string(1000, 'x')}) {
    auto sealed = box.Seal(plain, "dev/user/alice");
    ASSERT_TRUE(sealed) << sealed.error();
    EXPECT_EQ(sealed->size(), 1 + 12 + plain.size() + 16);
    EXPECT_EQ(static_cast<unsigned char>((*sealed)[0]), SecretBox::kVersion);
    if (!plain.empty()) {
      EXPECT_EQ(sealed->find(plain), std::string::npos);
    }
    auto opened = box.Open(*sealed, "dev/user/alice");
    ASSERT_TRUE(opened) << opened.error();
    EXPECT_EQ(*opened, plain);
  }
  // Random IVs: sealing twice differs.
  EXPECT_NE(*box.Seal("same", "ad"), *box.Seal("same", "ad"));
}

TEST(SecretBox, TamperDetection) {
  const SecretBox box = TestBox();
  const std::string sealed = *box.Seal("hunter2", "ad");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string t = sealed;
    t[i] ^= 0x01;
    EXPECT_FALSE(box.Open(t, "ad")) << "byte " << i;
  }
  EXPECT_FALSE(box.Open(sealed.substr(0, sealed.size() - 1), "ad"));
  EXPECT_FALSE(box.Open(sealed + "x", "ad"));
  EXPECT_FALSE(box.Open("", "ad"));
  EXPECT_FALSE(box.Open(std::string(28, '\x01'), "ad"));
}

TEST(SecretBox, AssociatedDataAndKeyBinding) {
  const SecretBox box = TestBox();
  const std::string sealed = *box.Seal("hunter2", "dev/user/alice");
  EXPECT_FALSE(box.Open(sealed, "dev/user/bob"));
  EXPECT_FALSE(box.Open(sealed, ""));
  EXPECT_FALSE(TestBox('j').Open(sealed, "dev/user/alice"));
  EXPECT_FALSE(SecretBox::FromKey("short"));
}

TEST(SecretBox, MoveKeepsKey) {
  SecretBox a = TestBox();
  const std::string sealed = *a.Seal("v", "ad");
  SecretBox b = std::move(a);
  EXPECT_EQ(*b.Open(sealed, "ad"), "v");
}

TEST_F(SecretBoxFile, CreatesKeyWithMode0600AndReopens) {
  const std::string path = Path("key");
  auto box = SecretBox::OpenOrCreate(path);
  ASSERT_TRUE(box) << box.error();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  const std::string sealed = *box->Seal("secret", "ad");
  auto again = SecretBox::OpenOrCreate(path);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(*again->Open(sealed, "ad"), "secret");
}

TEST_F(SecretBoxFile, CreatesKeyEvenWithPermissiveUmask) {
  const mode_t old = ::umask(0);
  auto box = SecretBox::OpenOrCreate(Path("key"));
  ::umask(old);
  ASSERT_TRUE(box);
  struct stat st {};
  ASSERT_EQ(::stat(Path("key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SecretBoxFile, RefusesReadableByOthers) {
  const std::string path = Path("key");
  ASSERT_TRUE(SecretBox::OpenOrCreate(path));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto box = SecretBox::OpenOrCreate(path);
  ASSERT_FALSE(box);
  EXPECT_NE(box.error().find("chmod 600"), std::string::npos) << box.error();
  EXPECT_NE(box.error().find(path), std::string::npos);
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_FALSE(SecretBox::OpenOrCreate(path));
}

TEST_F(SecretBoxFile, RefusesWrongSizeSymlinkAndDirectory) {
  const std::string path = Path("key");
  {
    std::ofstream out(path);
    out << "too short";
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  auto box = SecretBox::OpenOrCreate(path);
  ASSERT_FALSE(box);
  EXPECT_NE(box.error().find("32 bytes"), std::string::npos) << box.error();

  const std::string real = Path("real");
  ASSERT_TRUE(SecretBox::OpenOrCreate(real));
  std::filesystem::create_symlink(real, Path("link"));
  EXPECT_FALSE(SecretBox::OpenOrCreate(Path("link")));

  std::filesystem::create_directory(Path("dir"));
  ::chmod(Path("dir").c_str(), 0700);
  EXPECT_FALSE(SecretBox::OpenOrCreate(Path("dir")));
  EXPECT_FALSE(SecretBox::OpenOrCreate(Path("missing/key")));
}

}  // namespace
}  // namespace onvifgw::security
