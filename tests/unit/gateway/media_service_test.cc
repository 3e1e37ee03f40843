// Media (ver10) and Media2 (ver20) against a fake adapter whose camera has
// one source with a configurable main stream and a fixed JPEG sub stream:
// what a client checks for consistency, the documented faults (and that a
// refused request changes nothing), encoder changes reaching the camera,
// stream and snapshot URIs, persistence, and the snapshot cache. Every
// response is validated with check-soap when it is present.

#include <gtest/gtest.h>

#include <filesystem>

#include "core/base64.h"
#include "fake_rtsp_endpoint.h"
#include "media_test_fixture.h"
#include "security/secret_box.h"
#include "services/authentication.h"
#include "services/device_security.h"
#include "services/media/media_profile_store.h"
#include "services/media/relay_source.h"
#include "store/state_store.h"

namespace onvifgw::services {
namespace {

TEST_F(MediaServiceTest, DefaultProfilesOnePerStreamFixedAndConsistentAcrossServices) {
  const std::string profiles = Ok("<trt:GetProfiles/>");
  const auto tokens = Tokens(profiles, "trt:Profiles");
  ASSERT_EQ(tokens, (std::vector<std::string>{"prof_0_main", "prof_0_sub"}));
  EXPECT_NE(profiles.find("fixed=\"true\""), std::string::npos);
  // Every profile token works in GetProfile and gives the same profile.
  const auto listed = Elements(profiles, "trt:Profiles");
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string one = Ok("<trt:GetProfile><trt:ProfileToken>" + tokens[i] +
                               "</trt:ProfileToken></trt:GetProfile>");
    const auto got = Elements(one, "trt:Profile");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(Unnamed(got[0]), Unnamed(listed[i]));
  }
  // Media2 lists the same profiles.
  EXPECT_EQ(Tokens(Ok("<tr2:GetProfiles/>", kMedia2), "tr2:Profiles"), tokens);
  // Values never flap between calls.
  EXPECT_EQ(Ok("<trt:GetProfiles/>"), profiles);
}

TEST_F(MediaServiceTest, ConfigurationsInProfilesAreInTheListsAndEqualTheirSingleGet) {
  const std::string profiles = Ok("<trt:GetProfiles/>");
  const std::string vscs = Ok("<trt:GetVideoSourceConfigurations/>");
  const std::string vecs = Ok("<trt:GetVideoEncoderConfigurations/>");
  std::vector<std::string> listed;
  for (const auto& c : Elements(vecs, "trt:Configurations")) listed.push_back(Unnamed(c));
  for (const auto& vec : Elements(profiles, "tt:VideoEncoderConfiguration")) {
    EXPECT_NE(std::find(listed.begin(), listed.end(), Unnamed(vec)), listed.end()) << vec;
  }
  for (const std::string token : {"enc_0_main", "enc_0_sub"}) {
    const std::string one =
        Ok("<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>" + token +
           "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>");
    const auto got = Elements(one, "trt:Configuration");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(std::find(listed.begin(), listed.end(), Unnamed(got[0])), listed.end()) << got[0];
  }
  const std::string vsc =
      Ok("<trt:GetVideoSourceConfiguration><trt:ConfigurationToken>vsc_0</trt:ConfigurationToken>"
         "</trt:GetVideoSourceConfiguration>");
  EXPECT_NE(vsc.find("<tt:SourceToken>VideoSource_0</tt:SourceToken>"), std::string::npos);
  EXPECT_NE(vscs.find("token=\"vsc_0\""), std::string::npos);
  EXPECT_NE(vsc.find("<tt:UseCount>2</tt:UseCount>"), std::string::npos) << vsc;
  // Media and Media2 agree on the video sources.
  const std::string sources = Ok("<trt:GetVideoSources/>");
  EXPECT_EQ(Tokens(sources, "trt:VideoSources"), std::vector<std::string>{"VideoSource_0"});
  EXPECT_NE(sources.find("<tt:Width>1280</tt:Width>"), std::string::npos);
  EXPECT_NE(Ok("<tr2:GetVideoSourceConfigurations/>", kMedia2).find("token=\"vsc_0\""),
            std::string::npos);
}

TEST_F(MediaServiceTest, EncoderOptionsOfferJpegAndContainTheCurrentValues) {
  const std::string o =
      Ok("<trt:GetVideoEncoderConfigurationOptions><trt:ConfigurationToken>enc_0_main"
         "</trt:ConfigurationToken></trt:GetVideoEncoderConfigurationOptions>");
  EXPECT_NE(o.find("<tt:JPEG>"), std::string::npos) << o;
  EXPECT_NE(o.find("<tt:H264>"), std::string::npos);
  EXPECT_NE(o.find("<tt:H264ProfilesSupported>High</tt:H264ProfilesSupported>"), std::string::npos);
  // The fixed sub stream offers exactly what it is.
  const std::string sub =
      Ok("<trt:GetVideoEncoderConfigurationOptions><trt:ConfigurationToken>enc_0_sub"
         "</trt:ConfigurationToken></trt:GetVideoEncoderConfigurationOptions>");
  EXPECT_EQ(sub.find("<tt:H264>"), std::string::npos);
  EXPECT_NE(sub.find("<tt:FrameRateRange><tt:Min>10</tt:Min><tt:Max>10</tt:Max>"),
            std::string::npos)
      << sub;
  // Media2 adds H.265 and lists frame rates.
  const std::string o2 =
      Ok("<tr2:GetVideoEncoderConfigurationOptions><tr2:ConfigurationToken>enc_0_main"
         "</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurationOptions>",
         kMedia2);
  EXPECT_NE(o2.find("<tt:Encoding>H265</tt:Encoding>"), std::string::npos) << o2;
  EXPECT_NE(o2.find("FrameRatesSupported=\"1 2 5 6.25 10 12.5 15 20 25\""), std::string::npos)
      << o2;
}

TEST_F(MediaServiceTest, UnknownTokensGiveTheDocumentedFaultsAndChangeNothing) {
  const std::string before = Ok("<trt:GetProfiles/>");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<trt:GetProfile><trt:ProfileToken>nope</trt:ProfileToken></trt:GetProfile>", "NoProfile"},
      {"<trt:DeleteProfile><trt:ProfileToken>nope</trt:ProfileToken></trt:DeleteProfile>",
       "NoProfile"},
      {"<trt:DeleteProfile><trt:ProfileToken>prof_0_main</trt:ProfileToken></trt:DeleteProfile>",
       "DeletionOfFixedProfile"},
      {"<trt:AddVideoEncoderConfiguration><trt:ProfileToken>nope</trt:ProfileToken>"
       "<trt:ConfigurationToken>enc_0_main</trt:ConfigurationToken>"
       "</trt:AddVideoEncoderConfiguration>",
       "NoProfile"},
      {"<trt:AddVideoEncoderConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
       "<trt:ConfigurationToken>nope</trt:ConfigurationToken>"
       "</trt:AddVideoEncoderConfiguration>",
       "NoConfig"},
      {"<trt:AddVideoSourceConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
       "<trt:ConfigurationToken>nope</trt:ConfigurationToken>"
       "</trt:AddVideoSourceConfiguration>",
       "NoConfig"},
      {"<trt:AddPTZConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
       "<trt:ConfigurationToken>ptz</trt:ConfigurationToken></trt:AddPTZConfiguration>",
       "NoConfig"},
      {"<trt:RemoveVideoEncoderConfiguration><trt:ProfileToken>nope</trt:ProfileToken>"
       "</trt:RemoveVideoEncoderConfiguration>",
       "NoProfile"},
      {"<trt:GetVideoSourceConfiguration><trt:ConfigurationToken>nope</trt:ConfigurationToken>"
       "</trt:GetVideoSourceConfiguration>",
       "NoConfig"},
      {"<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>nope</trt:ConfigurationToken>"
       "</trt:GetVideoEncoderConfiguration>",
       "NoConfig"},
      {"<trt:GetMetadataConfiguration><trt:ConfigurationToken>nope</trt:ConfigurationToken>"
       "</trt:GetMetadataConfiguration>",
       "NoConfig"},
      {"<trt:GetCompatibleVideoEncoderConfigurations><trt:ProfileToken>nope</trt:ProfileToken>"
       "</trt:GetCompatibleVideoEncoderConfigurations>",
       "NoProfile"},
      {"<trt:GetVideoEncoderConfigurationOptions><trt:ProfileToken>nope</trt:ProfileToken>"
       "</trt:GetVideoEncoderConfigurationOptions>",
       "NoProfile"},
      {"<trt:GetGuaranteedNumberOfVideoEncoderInstances><trt:ConfigurationToken>nope"
       "</trt:ConfigurationToken></trt:GetGuaranteedNumberOfVideoEncoderInstances>",
       "NoConfig"},
      {"<trt:GetVideoSourceModes><trt:VideoSourceToken>nope</trt:VideoSourceToken>"
       "</trt:GetVideoSourceModes>",
       "NoVideoSource"},
      {"<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>"
       "<tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>"
       "<trt:ProfileToken>nope</trt:ProfileToken></trt:GetStreamUri>",
       "NoProfile"},
      {"<trt:GetSnapshotUri><trt:ProfileToken>nope</trt:ProfileToken></trt:GetSnapshotUri>",
       "NoProfile"},
      {"<trt:GetOSDs><trt:ConfigurationToken>nope</trt:ConfigurationToken></trt:GetOSDs>",
       "NoConfig"},
      {"<trt:GetAudioSources/>", "AudioNotSupported"},
      {"<trt:AddVideoSourceConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
       "<trt:ConfigurationToken></trt:ConfigurationToken></trt:AddVideoSourceConfiguration>",
       "NoConfig"},
      {"<trt:AddMetadataConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
       "<trt:ConfigurationToken>nope</trt:ConfigurationToken></trt:AddMetadataConfiguration>",
       "NoConfig"},
      {"<trt:RemoveVideoSourceConfiguration><trt:ProfileToken>nope</trt:ProfileToken>"
       "</trt:RemoveVideoSourceConfiguration>",
       "NoProfile"},
      {"<trt:GetVideoSourceConfigurationOptions><trt:ConfigurationToken>nope"
       "</trt:ConfigurationToken></trt:GetVideoSourceConfigurationOptions>",
       "NoConfig"},
      {"<trt:GetMetadataConfigurationOptions><trt:ConfigurationToken>nope"
       "</trt:ConfigurationToken></trt:GetMetadataConfigurationOptions>",
       "NoConfig"},
      {"<trt:GetCompatibleVideoSourceConfigurations><trt:ProfileToken>nope</trt:ProfileToken>"
       "</trt:GetCompatibleVideoSourceConfigurations>",
       "NoProfile"},
      {"<trt:GetCompatibleMetadataConfigurations><trt:ProfileToken>nope</trt:ProfileToken>"
       "</trt:GetCompatibleMetadataConfigurations>",
       "NoProfile"},
      {"<trt:GetOSD><trt:OSDToken>nope</trt:OSDToken></trt:GetOSD>", "NoConfig"},
      {"<trt:GetOSDOptions><trt:ConfigurationToken>nope</trt:ConfigurationToken>"
       "</trt:GetOSDOptions>",
       "NoConfig"},
      {"<trt:DeleteOSD><trt:OSDToken>nope</trt:OSDToken></trt:DeleteOSD>", "NoConfig"},
      {"<trt:CreateOSD><trt:OSD token=\"o\"><tt:VideoSourceConfigurationToken>vsc_0"
       "</tt:VideoSourceConfigurationToken><tt:Type>Text</tt:Type><tt:Position><tt:Type>UpperLeft"
       "</tt:Type></tt:Position></trt:OSD></trt:CreateOSD>",
       "MaxOSDs"},
      {"<trt:GetVideoAnalyticsConfiguration><trt:ConfigurationToken>nope"
       "</trt:ConfigurationToken></trt:GetVideoAnalyticsConfiguration>",
       "NoConfig"},
      {"<trt:GetCompatibleAudioOutputConfigurations><trt:ProfileToken>nope</trt:ProfileToken>"
       "</trt:GetCompatibleAudioOutputConfigurations>",
       "NoProfile"},
      {"<trt:CreateProfile><trt:Name>x</trt:Name><trt:Token>prof_0_main</trt:Token>"
       "</trt:CreateProfile>",
       "ProfileExists"},
      {"<trt:SetVideoSourceConfiguration><trt:Configuration token=\"vsc_0\"><tt:Name>n</tt:Name>"
       "<tt:UseCount>2</tt:UseCount><tt:SourceToken>VideoSource_0</tt:SourceToken>"
       "<tt:Bounds x=\"0\" y=\"0\" width=\"640\" height=\"360\"/></trt:Configuration>"
       "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoSourceConfiguration>",
       "ConfigModify"},
      {"<trt:SetMetadataConfiguration><trt:Configuration token=\"meta\"><tt:Name>m</tt:Name>"
       "<tt:UseCount>0</tt:UseCount><tt:Analytics>true</tt:Analytics><tt:Multicast><tt:Address>"
       "<tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address>"
       "<tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
       "<tt:SessionTimeout>PT60S</tt:SessionTimeout></trt:Configuration>"
       "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetMetadataConfiguration>",
       "ConfigModify"},
  };
  for (const auto& [body, subcode] : cases) EXPECT_EQ(FaultOf(body), subcode) << body;
  const std::vector<std::pair<std::string, std::string>> media2 = {
      {"<tr2:GetProfiles><tr2:Token>nope</tr2:Token></tr2:GetProfiles>", "NoProfile"},
      {"<tr2:DeleteProfile><tr2:Token>prof_0_sub</tr2:Token></tr2:DeleteProfile>",
       "DeletionOfFixedProfile"},
      {"<tr2:AddConfiguration><tr2:ProfileToken>prof_0_main</tr2:ProfileToken>"
       "<tr2:Configuration><tr2:Type>VideoEncoder</tr2:Type><tr2:Token>nope</tr2:Token>"
       "</tr2:Configuration></tr2:AddConfiguration>",
       "NoConfig"},
      {"<tr2:GetVideoEncoderConfigurations><tr2:ConfigurationToken>nope"
       "</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurations>",
       "NoConfig"},
      {"<tr2:GetVideoEncoderInstances><tr2:ConfigurationToken>nope</tr2:ConfigurationToken>"
       "</tr2:GetVideoEncoderInstances>",
       "NoConfig"},
      {"<tr2:GetStreamUri><tr2:Protocol>RtspUnicast</tr2:Protocol>"
       "<tr2:ProfileToken>nope</tr2:ProfileToken></tr2:GetStreamUri>",
       "NoProfile"},
      {"<tr2:RemoveConfiguration><tr2:ProfileToken>nope</tr2:ProfileToken><tr2:Configuration>"
       "<tr2:Type>VideoEncoder</tr2:Type></tr2:Configuration></tr2:RemoveConfiguration>",
       "NoProfile"},
      {"<tr2:CreateProfile><tr2:Name>x</tr2:Name><tr2:Configuration><tr2:Type>AudioSource"
       "</tr2:Type><tr2:Token>a</tr2:Token></tr2:Configuration></tr2:CreateProfile>",
       "NoConfig"},
      {"<tr2:GetVideoSourceModes><tr2:VideoSourceToken>nope</tr2:VideoSourceToken>"
       "</tr2:GetVideoSourceModes>",
       "NoVideoSource"},
      {"<tr2:GetVideoSourceConfigurations><tr2:ProfileToken>nope</tr2:ProfileToken>"
       "</tr2:GetVideoSourceConfigurations>",
       "NoProfile"},
      {"<tr2:GetMetadataConfigurations><tr2:ConfigurationToken>nope</tr2:ConfigurationToken>"
       "</tr2:GetMetadataConfigurations>",
       "NoConfig"},
      {"<tr2:GetAudioSourceConfigurations><tr2:ConfigurationToken>nope"
       "</tr2:ConfigurationToken></tr2:GetAudioSourceConfigurations>",
       "NoConfig"},
      {"<tr2:GetOSDOptions><tr2:ConfigurationToken>nope</tr2:ConfigurationToken>"
       "</tr2:GetOSDOptions>",
       "NoConfig"},
      {"<tr2:SetVideoEncoderConfiguration><tr2:Configuration token=\"nope\"><tt:Name>n</tt:Name>"
       "<tt:UseCount>0</tt:UseCount><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>640"
       "</tt:Width><tt:Height>360</tt:Height></tt:Resolution><tt:Quality>50</tt:Quality>"
       "</tr2:Configuration></tr2:SetVideoEncoderConfiguration>",
       "NoConfig"},
      {"<tr2:SetVideoEncoderConfiguration><tr2:Configuration token=\"enc_0_main\">"
       "<tt:Name>n</tt:Name><tt:UseCount>0</tt:UseCount><tt:Encoding>VP8</tt:Encoding>"
       "<tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution>"
       "<tt:Quality>50</tt:Quality></tr2:Configuration></tr2:SetVideoEncoderConfiguration>",
       "ConfigModify"},
      {"<tr2:GetStreamUri><tr2:Protocol>Carrier-Pigeon</tr2:Protocol>"
       "<tr2:ProfileToken>prof_0_main</tr2:ProfileToken></tr2:GetStreamUri>",
       "InvalidStreamSetup"},
  };
  for (const auto& [body, subcode] : media2) EXPECT_EQ(FaultOf(body, kMedia2), subcode) << body;
  EXPECT_EQ(Ok("<trt:GetProfiles/>"), before);
  EXPECT_TRUE(adapter_.calls.empty());
}

TEST_F(MediaServiceTest, AProfileIsCreatedConfiguredStreamedAndDeleted) {
  std::string r = Ok("<trt:CreateProfile><trt:Name>VMS</trt:Name></trt:CreateProfile>");
  const auto created = Tokens(r, "trt:Profile");
  ASSERT_EQ(created.size(), 1u);
  const std::string token = created[0];
  EXPECT_NE(r.find("fixed=\"false\""), std::string::npos);
  // Incomplete: no encoder yet.
  EXPECT_EQ(FaultOf("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream>"
                    "<tt:Transport><tt:Protocol>UDP</tt:Protocol></tt:Transport></trt:StreamSetup>"
                    "<trt:ProfileToken>" +
                    token + "</trt:ProfileToken></trt:GetStreamUri>"),
            "IncompleteConfiguration");
  Ok("<trt:AddVideoSourceConfiguration><trt:ProfileToken>" + token +
     "</trt:ProfileToken><trt:ConfigurationToken>vsc_0</trt:ConfigurationToken>"
     "</trt:AddVideoSourceConfiguration>");
  Ok("<trt:AddVideoEncoderConfiguration><trt:ProfileToken>" + token +
     "</trt:ProfileToken><trt:ConfigurationToken>enc_0_sub</trt:ConfigurationToken>"
     "</trt:AddVideoEncoderConfiguration>");
  r =
      Ok("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>"
         "<tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>" +
         token + "</trt:ProfileToken></trt:GetStreamUri>");
  // The camera's URI, its loopback host replaced by the address the client used.
  EXPECT_NE(r.find("<tt:Uri>rtsp://192.0.2.10:8554/fake/sub</tt:Uri>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:Timeout>PT0S</tt:Timeout>"), std::string::npos);
  // The encoder is now used twice.
  r =
      Ok("<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>enc_0_sub"
         "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>");
  EXPECT_NE(r.find("<tt:UseCount>2</tt:UseCount>"), std::string::npos);
  // Compatible encoders are those of the profile's source, all in the list.
  r = Ok("<trt:GetCompatibleVideoEncoderConfigurations><trt:ProfileToken>" + token +
         "</trt:ProfileToken></trt:GetCompatibleVideoEncoderConfigurations>");
  EXPECT_EQ(Tokens(r, "trt:Configurations"), (std::vector<std::string>{"enc_0_main", "enc_0_sub"}));
  Ok("<trt:RemoveVideoEncoderConfiguration><trt:ProfileToken>" + token +
     "</trt:ProfileToken></trt:RemoveVideoEncoderConfiguration>");
  Ok("<trt:DeleteProfile><trt:ProfileToken>" + token + "</trt:ProfileToken></trt:DeleteProfile>");
  EXPECT_EQ(Tokens(Ok("<trt:GetProfiles/>"), "trt:Profiles").size(), 2u);
}

TEST_F(MediaServiceTest, TheProfileLimitIsEnforced) {
  for (int i = 2; i < media::MediaProfileStore::kMaxProfiles; ++i) {
    Ok("<trt:CreateProfile><trt:Name>p" + std::to_string(i) + "</trt:Name></trt:CreateProfile>");
  }
  EXPECT_EQ(FaultOf("<trt:CreateProfile><trt:Name>one too many</trt:Name></trt:CreateProfile>"),
            "MaxNVTProfiles");
  EXPECT_EQ(
      FaultOf("<tr2:CreateProfile><tr2:Name>one too many</tr2:Name></tr2:CreateProfile>", kMedia2),
      "MaxNVTProfiles");
}

TEST_F(MediaServiceTest, EncoderChangesAreCheckedAppliedByTheCameraAndStored) {
  const std::string vec =
      "<trt:SetVideoEncoderConfiguration><trt:Configuration token=\"enc_0_main\">"
      "<tt:Name>Main</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>"
      "<tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution>"
      "<tt:Quality>60</tt:Quality><tt:RateControl><tt:FrameRateLimit>15</tt:FrameRateLimit>"
      "<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>BITRATE</tt:BitrateLimit>"
      "</tt:RateControl><tt:H264><tt:GovLength>30</tt:GovLength><tt:H264Profile>High"
      "</tt:H264Profile></tt:H264><tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type>"
      "<tt:IPv4Address>239.1.2.3</tt:IPv4Address></tt:Address><tt:Port>5000</tt:Port>"
      "<tt:TTL>4</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
      "<tt:SessionTimeout>PT30S</tt:SessionTimeout></trt:Configuration>"
      "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoEncoderConfiguration>";
  auto with = [&](const std::string& bitrate) {
    return std::regex_replace(vec, std::regex("BITRATE"), bitrate);
  };
  // Outside the options: refused before the camera hears of it.
  EXPECT_EQ(FaultOf(with("99999")), "ConfigModify");
  EXPECT_TRUE(adapter_.calls.empty());
  Ok(with("2048"));
  ASSERT_EQ(adapter_.calls.size(), 1u);
  EXPECT_EQ(adapter_.calls[0], "ApplyVideoEncoderConfiguration main codec=" +
                                   std::to_string(adapters::v1::VIDEO_CODEC_H264) + " 640x360");
  const std::string r =
      Ok("<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>enc_0_main"
         "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>");
  EXPECT_NE(r.find("<tt:Name>Main</tt:Name>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:Width>640</tt:Width>"), std::string::npos);
  EXPECT_NE(r.find("<tt:BitrateLimit>2048</tt:BitrateLimit>"), std::string::npos);
  EXPECT_NE(r.find("<tt:H264Profile>High</tt:H264Profile>"), std::string::npos);
  EXPECT_NE(r.find("<tt:IPv4Address>239.1.2.3</tt:IPv4Address>"), std::string::npos);
  EXPECT_NE(r.find("<tt:SessionTimeout>PT30S</tt:SessionTimeout>"), std::string::npos);
  // The same again: nothing for the camera to do.
  Ok(with("2048"));
  EXPECT_EQ(adapter_.calls.size(), 1u);
  // The camera refusing is a fault, and nothing is stored.
  adapter_.status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no");
  EXPECT_EQ(FaultOf(with("1024")), "ConfigModify");
}

TEST_F(MediaServiceTest, AFixedStreamTakesANameButNoEncodingChange) {
  const std::string sub =
      "<trt:SetVideoEncoderConfiguration><trt:Configuration token=\"enc_0_sub\">"
      "<tt:Name>NAME</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>JPEG</tt:Encoding>"
      "<tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution>"
      "<tt:Quality>QUALITY</tt:Quality><tt:RateControl><tt:FrameRateLimit>10</tt:FrameRateLimit>"
      "<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>1024</tt:BitrateLimit>"
      "</tt:RateControl><tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type>"
      "<tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>"
      "<tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
      "<tt:SessionTimeout>PT60S</tt:SessionTimeout></trt:Configuration>"
      "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoEncoderConfiguration>";
  auto with = [&](const std::string& name, const std::string& quality) {
    return std::regex_replace(std::regex_replace(sub, std::regex("NAME"), name),
                              std::regex("QUALITY"), quality);
  };
  Ok(with("Second", "50"));
  EXPECT_NE(Ok("<trt:GetVideoEncoderConfigurations/>").find("<tt:Name>Second</tt:Name>"),
            std::string::npos);
  EXPECT_EQ(FaultOf(with("Second", "90")), "ConfigModify");
  EXPECT_TRUE(adapter_.calls.empty());
}

TEST_F(MediaServiceTest, H265LivesInMedia2Only) {
  Ok("<tr2:SetVideoEncoderConfiguration><tr2:Configuration token=\"enc_0_main\" GovLength=\"50\" "
     "Profile=\"Main\"><tt:Name>main</tt:Name><tt:UseCount>1</tt:UseCount>"
     "<tt:Encoding>H265</tt:Encoding><tt:Resolution><tt:Width>1280</tt:Width>"
     "<tt:Height>720</tt:Height></tt:Resolution><tt:RateControl><tt:FrameRateLimit>25"
     "</tt:FrameRateLimit><tt:BitrateLimit>4096</tt:BitrateLimit></tt:RateControl>"
     "<tt:Quality>70</tt:Quality></tr2:Configuration></tr2:SetVideoEncoderConfiguration>",
     kMedia2);
  const std::string m2 = Ok("<tr2:GetVideoEncoderConfigurations/>", kMedia2);
  EXPECT_NE(m2.find("<tt:Encoding>H265</tt:Encoding>"), std::string::npos) << m2;
  const std::string m1 = Ok("<trt:GetVideoEncoderConfigurations/>");
  EXPECT_EQ(Tokens(m1, "trt:Configurations"), std::vector<std::string>{"enc_0_sub"});
  // The ver10 profile keeps its source but cannot show the H.265 encoder.
  const std::string p =
      Ok("<trt:GetProfile><trt:ProfileToken>prof_0_main</trt:ProfileToken></trt:GetProfile>");
  EXPECT_EQ(p.find("VideoEncoderConfiguration"), std::string::npos);
  EXPECT_NE(Ok("<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>", kMedia2)
                .find("<tt:Encoding>H265</tt:Encoding>"),
            std::string::npos);
}

TEST_F(MediaServiceTest, AnMpeg4StreamIsDescribedInBothServices) {
  adapter_.AddMpeg4Stream();
  std::string r =
      Ok("<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>enc_0_legacy"
         "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>");
  EXPECT_NE(r.find("<tt:Encoding>MPEG4</tt:Encoding>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:MPEG4><tt:GovLength>30</tt:GovLength><tt:Mpeg4Profile>SP"
                   "</tt:Mpeg4Profile></tt:MPEG4>"),
            std::string::npos)
      << r;
  r =
      Ok("<trt:GetVideoEncoderConfigurationOptions><trt:ConfigurationToken>enc_0_legacy"
         "</trt:ConfigurationToken></trt:GetVideoEncoderConfigurationOptions>");
  EXPECT_NE(r.find("<tt:MPEG4><tt:ResolutionsAvailable><tt:Width>352</tt:Width>"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:Mpeg4ProfilesSupported>SP</tt:Mpeg4ProfilesSupported>"), std::string::npos);
  EXPECT_EQ(r.find("<tt:H264>"), std::string::npos);
  // Its values as they are, with a new name: accepted; another GOV: refused.
  const std::string set =
      "<trt:SetVideoEncoderConfiguration><trt:Configuration token=\"enc_0_legacy\">"
      "<tt:Name>Legacy</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>MPEG4</tt:Encoding>"
      "<tt:Resolution><tt:Width>352</tt:Width><tt:Height>288</tt:Height></tt:Resolution>"
      "<tt:Quality>40</tt:Quality><tt:RateControl><tt:FrameRateLimit>12</tt:FrameRateLimit>"
      "<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>512</tt:BitrateLimit>"
      "</tt:RateControl><tt:MPEG4><tt:GovLength>GOV</tt:GovLength><tt:Mpeg4Profile>SP"
      "</tt:Mpeg4Profile></tt:MPEG4><tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type>"
      "<tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>"
      "<tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
      "<tt:SessionTimeout>PT60S</tt:SessionTimeout></trt:Configuration>"
      "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoEncoderConfiguration>";
  EXPECT_EQ(FaultOf(std::regex_replace(set, std::regex("GOV"), "60")), "ConfigModify");
  Ok(std::regex_replace(set, std::regex("GOV"), "30"));
  EXPECT_TRUE(adapter_.calls.empty());
  // Media2 names it MPV4-ES.
  r =
      Ok("<tr2:GetVideoEncoderConfigurations><tr2:ConfigurationToken>enc_0_legacy"
         "</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurations>",
         kMedia2);
  EXPECT_NE(r.find("<tt:Encoding>MPV4-ES</tt:Encoding>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:Name>Legacy</tt:Name>"), std::string::npos);
}

TEST_F(MediaServiceTest, StreamUrisFollowTheTransportAndHideCameraCredentials) {
  const std::string setup =
      "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>STREAM</tt:Stream><tt:Transport>"
      "<tt:Protocol>PROTO</tt:Protocol></tt:Transport></trt:StreamSetup>"
      "<trt:ProfileToken>prof_0_main</trt:ProfileToken></trt:GetStreamUri>";
  auto with = [&](const std::string& stream, const std::string& proto) {
    return std::regex_replace(std::regex_replace(setup, std::regex("STREAM"), stream),
                              std::regex("PROTO"), proto);
  };
  for (const std::string proto : {"UDP", "TCP", "RTSP"}) {
    const std::string r = Ok(with("RTP-Unicast", proto));
    EXPECT_NE(r.find("<tt:Uri>rtsp://192.0.2.10:8554/fake/main</tt:Uri>"), std::string::npos) << r;
  }
  EXPECT_EQ(FaultOf(with("RTP-Unicast", "HTTP")), "InvalidStreamSetup");
  EXPECT_EQ(FaultOf(with("RTP-Multicast", "UDP")), "InvalidStreamSetup");
  device_.config.stream_uri_credentials = true;
  EXPECT_NE(Ok(with("RTP-Unicast", "RTSP")).find("rtsp://admin:secret@192.0.2.10:8554/fake/main"),
            std::string::npos);
  const std::string m2 =
      Ok("<tr2:GetStreamUri><tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>prof_0_main"
         "</tr2:ProfileToken></tr2:GetStreamUri>",
         kMedia2);
  EXPECT_NE(m2.find("<tr2:Uri>rtsp://admin:secret@192.0.2.10:8554/fake/main</tr2:Uri>"),
            std::string::npos)
      << m2;
}

TEST_F(MediaServiceTest, WithTheRelayStreamUrisNameTheRelayAndItsProfilePath) {
  onvifgw::testing::FakeRtspEndpoint relay(8554);
  device_.relay = &relay;
  const std::string r =
      Ok("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>"
         "<tt:Protocol>UDP</tt:Protocol></tt:Transport></trt:StreamSetup>"
         "<trt:ProfileToken>prof_0_main</trt:ProfileToken></trt:GetStreamUri>");
  EXPECT_NE(r.find("<tt:Uri>rtsp://192.0.2.10:8554/prof_0_main</tt:Uri>"), std::string::npos) << r;
  // The camera's credentials never reach the client: the relay uses them.
  device_.config.stream_uri_credentials = true;
  const std::string m2 =
      Ok("<tr2:GetStreamUri><tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>prof_0_sub"
         "</tr2:ProfileToken></tr2:GetStreamUri>",
         kMedia2);
  EXPECT_NE(m2.find("<tr2:Uri>rtsp://192.0.2.10:8554/prof_0_sub</tr2:Uri>"), std::string::npos)
      << m2;
  // What the relay itself plays for the path: the camera's own stream, whole.
  const auto source = media::RelaySourceOf(device_, "prof_0_main");
  ASSERT_TRUE(source.has_value()) << source.error();
  EXPECT_EQ(source->camera_id, "cam-1");
  EXPECT_EQ(source->stream.uri(), "rtsp://admin:secret@127.0.0.1:8554/fake/main");
  EXPECT_FALSE(media::RelaySourceOf(device_, "nope").has_value());
  // RTSP tunnelled in HTTP: the same path on the web service's own port.
  const std::string tunnel =
      Ok("<tr2:GetStreamUri><tr2:Protocol>RtspOverHttp</tr2:Protocol><tr2:ProfileToken>"
         "prof_0_main</tr2:ProfileToken></tr2:GetStreamUri>",
         kMedia2);
  EXPECT_NE(tunnel.find("<tr2:Uri>rtsp://192.0.2.10:8080/prof_0_main</tr2:Uri>"), std::string::npos)
      << tunnel;
  const std::string http =
      Ok("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>"
         "<tt:Protocol>HTTP</tt:Protocol></tt:Transport></trt:StreamSetup>"
         "<trt:ProfileToken>prof_0_sub</trt:ProfileToken></trt:GetStreamUri>");
  EXPECT_NE(http.find("<tt:Uri>rtsp://192.0.2.10:8080/prof_0_sub</tt:Uri>"), std::string::npos)
      << http;
  // A relay moved by SetNetworkProtocols: the URIs follow it.
  ASSERT_TRUE(relay.MoveTo(8600).ok());
  EXPECT_NE(Ok("<tr2:GetStreamUri><tr2:Protocol>RtspUnicast</tr2:Protocol><tr2:ProfileToken>"
               "prof_0_main</tr2:ProfileToken></tr2:GetStreamUri>",
               kMedia2)
                .find("<tr2:Uri>rtsp://192.0.2.10:8600/prof_0_main</tr2:Uri>"),
            std::string::npos);
  // Multicast is still refused.
  EXPECT_EQ(FaultOf("<tr2:GetStreamUri><tr2:Protocol>RtspMulticast</tr2:Protocol>"
                    "<tr2:ProfileToken>prof_0_main</tr2:ProfileToken></tr2:GetStreamUri>",
                    kMedia2),
            "InvalidStreamSetup");
}

TEST_F(MediaServiceTest, ASnapshotOnlyCameraStreamsThroughTheRelayOnly) {
  adapter_.MakeMainSnapshotOnly();
  const std::string get =
      "<tr2:GetStreamUri><tr2:Protocol>RtspUnicast</tr2:Protocol><tr2:ProfileToken>prof_0_main"
      "</tr2:ProfileToken></tr2:GetStreamUri>";
  EXPECT_EQ(FaultOf(get, kMedia2), "InvalidStreamSetup");
  onvifgw::testing::FakeRtspEndpoint relay(8554);
  device_.relay = &relay;
  EXPECT_NE(Ok(get, kMedia2).find("<tr2:Uri>rtsp://192.0.2.10:8554/prof_0_main</tr2:Uri>"),
            std::string::npos);
  // The relay plays the camera's pictures of that source.
  const auto source = media::RelaySourceOf(device_, "prof_0_main");
  ASSERT_TRUE(source.has_value()) << source.error();
  EXPECT_EQ(source->stream.transport(), adapters::v1::STREAM_TRANSPORT_SNAPSHOT_ONLY);
  EXPECT_EQ(source->camera_id, "cam-1");
  EXPECT_EQ(source->source_id, "0");
}

TEST_F(MediaServiceTest, AJpegStreamTheRelayEncodesIsAnH264EncoderToClients) {
  // The fake's sub stream: fixed JPEG 640x360 at 10 fps, quality 50. The
  // main stream is H.264 already: listing it changes nothing.
  device_.config.h264_encoded_streams = {"sub", "main"};
  const std::string get =
      "<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>enc_0_sub"
      "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>";
  std::string r = Ok(get);
  EXPECT_NE(r.find("<tt:Encoding>H264</tt:Encoding>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:Width>640</tt:Width>"), std::string::npos) << r;
  // The defaults: 0.1 bit a pixel, a key frame every two seconds, Baseline.
  EXPECT_NE(r.find("<tt:BitrateLimit>230</tt:BitrateLimit>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:GovLength>20</tt:GovLength><tt:H264Profile>Baseline</tt:H264Profile>"),
            std::string::npos)
      << r;
  const std::string options =
      Ok("<tr2:GetVideoEncoderConfigurationOptions><tr2:ConfigurationToken>enc_0_sub"
         "</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurationOptions>",
         kMedia2);
  EXPECT_EQ(options.find("JPEG"), std::string::npos) << options;
  EXPECT_NE(options.find("ProfilesSupported=\"Baseline Main High\""), std::string::npos) << options;
  // The encoder's own settings are the relay's: stored, the camera not asked.
  const std::string set =
      "<trt:SetVideoEncoderConfiguration><trt:Configuration token=\"enc_0_sub\">"
      "<tt:Name>Sub</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>"
      "<tt:Resolution><tt:Width>WIDTH</tt:Width><tt:Height>360</tt:Height></tt:Resolution>"
      "<tt:Quality>50</tt:Quality><tt:RateControl><tt:FrameRateLimit>10</tt:FrameRateLimit>"
      "<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>512</tt:BitrateLimit>"
      "</tt:RateControl><tt:H264><tt:GovLength>30</tt:GovLength><tt:H264Profile>Main"
      "</tt:H264Profile></tt:H264><tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type>"
      "<tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>"
      "<tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
      "<tt:SessionTimeout>PT60S</tt:SessionTimeout></trt:Configuration>"
      "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoEncoderConfiguration>";
  auto with = [&](const std::string& width) {
    return std::regex_replace(set, std::regex("WIDTH"), width);
  };
  Ok(with("640"));
  EXPECT_TRUE(adapter_.calls.empty());
  r = Ok(get);
  EXPECT_NE(r.find("<tt:BitrateLimit>512</tt:BitrateLimit>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:GovLength>30</tt:GovLength><tt:H264Profile>Main</tt:H264Profile>"),
            std::string::npos)
      << r;
  // The picture is the camera's, and this camera's is fixed.
  EXPECT_EQ(FaultOf(with("320")), "ConfigModify");
  EXPECT_TRUE(adapter_.calls.empty());
  // The relay pulls the camera's JPEG and encodes it as set.
  const auto source = media::RelaySourceOf(device_, "prof_0_sub");
  ASSERT_TRUE(source.has_value()) << source.error();
  EXPECT_EQ(source->stream.codec(), adapters::v1::VIDEO_CODEC_JPEG);
  ASSERT_TRUE(source->encode_h264.has_value());
  EXPECT_EQ(source->encode_h264->bitrate_kbps, 512u);
  EXPECT_EQ(source->encode_h264->gop_length, 30u);
  EXPECT_EQ(source->encode_h264->profile, "Main");
  const auto main = media::RelaySourceOf(device_, "prof_0_main");
  ASSERT_TRUE(main.has_value());
  EXPECT_FALSE(main->encode_h264.has_value());
  // Not listed any more: JPEG again, as the camera sends it.
  device_.config.h264_encoded_streams.clear();
  EXPECT_NE(Ok(get).find("<tt:Encoding>JPEG</tt:Encoding>"), std::string::npos);
}

TEST_F(MediaServiceTest, WithoutTheRelayRtspOverHttpIsRefused) {
  // Passthrough: the camera's own RTSP server is not on our web port.
  EXPECT_EQ(FaultOf("<tr2:GetStreamUri><tr2:Protocol>RtspOverHttp</tr2:Protocol><tr2:ProfileToken>"
                    "prof_0_main</tr2:ProfileToken></tr2:GetStreamUri>",
                    kMedia2),
            "InvalidStreamSetup");
}

TEST_F(MediaServiceTest, SnapshotUriPointsAtTheGatewayItself) {
  const std::string r = Ok(
      "<trt:GetSnapshotUri><trt:ProfileToken>prof_0_sub</trt:ProfileToken></trt:GetSnapshotUri>");
  EXPECT_NE(r.find("<tt:Uri>http://192.0.2.10:8080/onvif/snapshot/VideoSource_0</tt:Uri>"),
            std::string::npos)
      << r;
}

TEST_F(MediaServiceTest, MediaIsAdvertisedOnlyWhereItIsServed) {
  std::string s =
      Ok("<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability>"
         "</tds:GetServices>",
         "/onvif/device_service");
  EXPECT_NE(s.find("<tds:XAddr>http://192.0.2.10:8080/onvif/media_service</tds:XAddr>"),
            std::string::npos);
  EXPECT_NE(s.find("<tds:XAddr>http://192.0.2.10:8080/onvif/media2_service</tds:XAddr>"),
            std::string::npos);
  EXPECT_NE(s.find("SnapshotUri=\"true\""), std::string::npos);
  s = Ok("<tds:GetCapabilities/>", "/onvif/device_service");
  EXPECT_NE(s.find("<tt:Media><tt:XAddr>http://192.0.2.10:8080/onvif/media_service"),
            std::string::npos)
      << s;
  device_.media = nullptr;
  s = Ok("<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>",
         "/onvif/device_service");
  EXPECT_EQ(s.find("media"), std::string::npos);
  EXPECT_EQ(FaultOf("<trt:GetProfiles/>"), "ActionNotSupported");
}

TEST_F(MediaServiceTest, AnEncoderDevicePresentsSeveralCamerasAsItsVideoSources) {
  adapter_.AddCameraLikeTheFirst("cam-2", "Back yard");
  device_.config.cameras = {"cam-1", "cam-2"};
  const std::string sources = Ok("<trt:GetVideoSources/>");
  EXPECT_EQ(Tokens(sources, "trt:VideoSources"),
            (std::vector<std::string>{"VideoSource_cam-1_0", "VideoSource_cam-2_0"}));
  const std::string profiles = Ok("<trt:GetProfiles/>");
  EXPECT_EQ(Tokens(profiles, "trt:Profiles"),
            (std::vector<std::string>{"prof_cam-1_0_main", "prof_cam-1_0_sub", "prof_cam-2_0_main",
                                      "prof_cam-2_0_sub"}));
  EXPECT_NE(profiles.find("<tt:Name>Back yard main</tt:Name>"), std::string::npos) << profiles;
  // An encoder of one camera does not fit a profile holding the other's source.
  EXPECT_EQ(FaultOf("<trt:AddVideoEncoderConfiguration><trt:ProfileToken>prof_cam-1_0_main"
                    "</trt:ProfileToken><trt:ConfigurationToken>enc_cam-2_0_main"
                    "</trt:ConfigurationToken></trt:AddVideoEncoderConfiguration>"),
            "ConfigurationConflict");
  const std::string uri =
      Ok("<trt:GetSnapshotUri><trt:ProfileToken>prof_cam-2_0_sub</trt:ProfileToken>"
         "</trt:GetSnapshotUri>");
  EXPECT_NE(uri.find("/onvif/snapshot/VideoSource_cam-2_0</tt:Uri>"), std::string::npos) << uri;
  EXPECT_EQ(media::VideoSourceToken(device_.config, "cam-2", "0"), "VideoSource_cam-2_0");
  EXPECT_EQ(media::VideoSourceToken(device_.config, "cam-9", "0"), "");
}

TEST(MediaTokensTest, LongIdsStayShortDistinctAndStable) {
  const std::string a = media::TokenPart("a-very-long-camera-identifier-number-1");
  const std::string b = media::TokenPart("a-very-long-camera-identifier-number-2");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, media::TokenPart("a-very-long-camera-identifier-number-1"));
  EXPECT_EQ(media::TokenPart("ch 1/main"), "ch-1-main");
}

TEST(MediaProfileStoreTest, ACameraAddedLaterGetsItsDefaultProfilesOnce) {
  FakeCameraAdapter adapter("cam-1");
  adapter.AddVideo();
  adapter.AddCameraLikeTheFirst("cam-2", "Yard");
  media::MediaProfileStore media("nvr", nullptr);
  const std::vector<media::CameraBinding> two = {{"cam-1", "cam-1_"}, {"cam-2", "cam-2_"}};
  EXPECT_EQ(media.Current(media::MediaCatalog::Build(&adapter, two)).profiles_size(), 4);
  // A client removes cam-2's sub profile's encoder; it stays removed.
  auto r = media.Update(media::MediaCatalog::Build(&adapter, two),
                        [](media::MediaState& s) -> std::optional<soap::Fault> {
                          media::FindProfile(s, "prof_cam-2_0_sub")->clear_video_encoder();
                          return std::nullopt;
                        });
  ASSERT_TRUE(r.has_value());
  adapter.AddCameraLikeTheFirst("cam-3", "Gate");
  const std::vector<media::CameraBinding> three = {
      {"cam-1", "cam-1_"}, {"cam-2", "cam-2_"}, {"cam-3", "cam-3_"}};
  const auto state = media.Current(media::MediaCatalog::Build(&adapter, three));
  ASSERT_EQ(state.profiles_size(), 6);
  EXPECT_EQ(state.profiles(4).token(), "prof_cam-3_0_main");
  EXPECT_TRUE(state.profiles(5).fixed());
  EXPECT_EQ(media::FindProfile(state, "prof_cam-2_0_sub")->video_encoder(), "");
  // Asked again: nothing more.
  EXPECT_EQ(media.Current(media::MediaCatalog::Build(&adapter, three)).profiles_size(), 6);
}

TEST(MediaProfileStoreTest, StateFromBeforeCamerasWereRecordedGetsNoSecondDefaults) {
  FakeCameraAdapter adapter("cam-1");
  adapter.AddVideo();
  const std::vector<media::CameraBinding> one = {{"cam-1", ""}};
  const auto catalog = media::MediaCatalog::Build(&adapter, one);
  media::MediaProfileStore media("front", nullptr);
  // As an older gateway stored it: defaults made (and one deleted by hand).
  auto r = media.Update(catalog, [](media::MediaState& s) -> std::optional<soap::Fault> {
    s.clear_profiles();
    s.clear_default_cameras();
    s.set_defaults_created(true);
    return std::nullopt;
  });
  ASSERT_TRUE(r.has_value());
  const auto state = media.Current(catalog);
  EXPECT_EQ(state.profiles_size(), 0);
  EXPECT_EQ(state.default_cameras_size(), 1);
}

TEST(MediaProfileStoreTest, ProfilesAndTokensSurviveARestart) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("onvifgw-media-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  FakeCameraAdapter adapter("cam-1");
  adapter.AddVideo();
  const std::vector<media::CameraBinding> cameras = {{"cam-1", ""}};
  const auto catalog = media::MediaCatalog::Build(&adapter, cameras);
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value());
    media::MediaProfileStore media("front", store->get());
    ASSERT_TRUE(media.Load().ok());
    auto r = media.Update(catalog, [](media::MediaState& s) -> std::optional<soap::Fault> {
      auto* p = s.add_profiles();
      p->set_token("mine");
      p->set_name("Mine");
      p->set_video_encoder("enc_0_sub");
      return std::nullopt;
    });
    ASSERT_TRUE(r.has_value());
    // A refused change stores nothing.
    auto refused = media.Update(catalog, [](media::MediaState& s) -> std::optional<soap::Fault> {
      s.clear_profiles();
      return soap::InvalidArgVal("no");
    });
    EXPECT_FALSE(refused.has_value());
  }
  auto store = store::StateStore::Open(dir.string());
  ASSERT_TRUE(store.has_value());
  media::MediaProfileStore media("front", store->get());
  ASSERT_TRUE(media.Load().ok());
  const auto state = media.Current(catalog);
  ASSERT_EQ(state.profiles_size(), 3);
  EXPECT_EQ(state.profiles(0).token(), "prof_0_main");
  EXPECT_EQ(state.profiles(2).token(), "mine");
  EXPECT_EQ(state.profiles(2).video_encoder(), "enc_0_sub");
  std::filesystem::remove_all(dir);
}

TEST_F(MediaServiceTest, SnapshotsNeedReadMediaAndManyClientsCostOneCameraRequest) {
  auto get = [&](const std::string& path) {
    RequestContext ctx{device_, "http", "192.0.2.10:8080", "192.0.2.10", path,
                       "",      "GET",  "192.0.2.99",      std::nullopt};
    http::Response out;
    media::ServeSnapshot(ctx, nullptr, snapshots_, [&](http::Response r) { out = std::move(r); });
    return out;
  };
  http::Response r = get("/onvif/snapshot/VideoSource_0");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "image/jpeg");
  EXPECT_EQ(r.body, adapter_.snapshot_jpeg);
  get("/onvif/snapshot/VideoSource_0");
  get("/onvif/snapshot/VideoSource_0");
  EXPECT_EQ(snapshots_.fetches(), 1u);
  clock_.Advance(std::chrono::seconds(2));
  get("/onvif/snapshot/VideoSource_0");
  EXPECT_EQ(snapshots_.fetches(), 2u);
  EXPECT_EQ(get("/onvif/snapshot/nope").status, 404);
  adapter_.snapshot_jpeg = "not a jpeg";
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(get("/onvif/snapshot/VideoSource_0").status, 502);
}

TEST_F(MediaServiceTest, SnapshotsAnswerOnlyTheUsersTheAccessPolicyAllowsMediaTo) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("onvifgw-snapshot-auth-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = store::StateStore::Open(dir.string());
  ASSERT_TRUE(store.has_value()) << store.error();
  auto box = security::SecretBox::OpenOrCreate((dir / "secret.key").string());
  ASSERT_TRUE(box.has_value()) << box.error();
  DeviceSecurity::Options options;
  options.allow_basic = true;
  auto security = DeviceSecurity::Load("front", device_.identity.endpoint_reference, **store, *box,
                                       options, config::AdminConfig{"admin", "Snap-Passw0rd1"});
  ASSERT_TRUE(security.has_value()) << security.error();
  device_.security = security->get();
  RequestAuthenticator authenticator;
  auto get = [&](const std::string& authorization) {
    RequestContext ctx{
        device_,       "http", "192.0.2.10:8080", "192.0.2.10", "/onvif/snapshot/VideoSource_0",
        authorization, "GET",  "192.0.2.99",      std::nullopt};
    http::Response out;
    media::ServeSnapshot(ctx, &authenticator, snapshots_,
                         [&](http::Response r) { out = std::move(r); });
    return out;
  };
  const std::string admin = "Basic " + Base64Encode("admin:Snap-Passw0rd1");
  const std::string wrong = "Basic " + Base64Encode("admin:wrong");

  http::Response r = get("");
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(r.headers.empty());
  EXPECT_EQ(get(wrong).status, 401);
  r = get(admin);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "image/jpeg");

  // READ_MEDIA revoked for administrators: authenticated, but forbidden.
  security::AccessPolicy policy = security::AccessPolicy::Default();
  policy.Set(security::UserLevel::kAdministrator, security::AccessClass::kReadMedia, false);
  ASSERT_TRUE(static_cast<bool>((*security)->SetPolicy(policy)));
  EXPECT_EQ(get(admin).status, 403);
  // Granted to anonymous users: no credentials needed.
  policy.Set(security::UserLevel::kAnonymous, security::AccessClass::kReadMedia, true);
  ASSERT_TRUE(static_cast<bool>((*security)->SetPolicy(policy)));
  EXPECT_EQ(get("").status, 200);

  device_.security = nullptr;
  security->reset();
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onvifgw::services
