// Audio in Media (ver10) and Media2 (ver20): a camera without audio inputs
// answers the documented ter:AudioNotSupported; one with a microphone shows
// it in both services, in the default profile of the stream that carries its
// audio, keeps profiles to combinations the camera can deliver, and refuses
// changes to its fixed encodings while taking names. Every response is
// validated with check-soap when it is present.

#include <gtest/gtest.h>

#include "media_test_fixture.h"

namespace onvifgw::services {
namespace {

const char* const kAudioEncoderSet =
    "<trt:SetAudioEncoderConfiguration><trt:Configuration token=\"aec_mic_g711\">"
    "<tt:Name>NAME</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>G711</tt:Encoding>"
    "<tt:Bitrate>BITRATE</tt:Bitrate><tt:SampleRate>8</tt:SampleRate>"
    "<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>239.1.1.1"
    "</tt:IPv4Address></tt:Address><tt:Port>5002</tt:Port><tt:TTL>2</tt:TTL>"
    "<tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
    "<tt:SessionTimeout>PT60S</tt:SessionTimeout></trt:Configuration>"
    "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetAudioEncoderConfiguration>";

std::string AudioEncoderSet(const std::string& name, const std::string& bitrate) {
  return std::regex_replace(std::regex_replace(kAudioEncoderSet, std::regex("NAME"), name),
                            std::regex("BITRATE"), bitrate);
}

TEST_F(MediaServiceTest, WithoutAudioInputsAudioOperationsSayAudioNotSupported) {
  for (const std::string body : {
           "<trt:GetAudioSources/>",
           "<trt:GetAudioSourceConfigurations/>",
           "<trt:GetAudioEncoderConfigurations/>",
           "<trt:GetAudioEncoderConfigurationOptions/>",
           "<trt:GetCompatibleAudioEncoderConfigurations><trt:ProfileToken>prof_0_main"
           "</trt:ProfileToken></trt:GetCompatibleAudioEncoderConfigurations>",
           "<trt:AddAudioSourceConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
           "<trt:ConfigurationToken>asc_mic</trt:ConfigurationToken>"
           "</trt:AddAudioSourceConfiguration>",
       }) {
    EXPECT_EQ(FaultOf(body), "AudioNotSupported") << body;
  }
  // Media2: empty lists, no options, and the capabilities name no audio.
  EXPECT_TRUE(
      Elements(Ok("<tr2:GetAudioSourceConfigurations/>", kMedia2), "tr2:Configurations").empty());
  EXPECT_EQ(FaultOf("<tr2:GetAudioEncoderConfigurationOptions/>", kMedia2), "AudioNotSupported");
  const std::string caps = Ok("<tr2:GetServiceCapabilities/>", kMedia2);
  EXPECT_EQ(caps.find("AudioSource"), std::string::npos) << caps;
  // No profile holds audio.
  EXPECT_EQ(Ok("<trt:GetProfiles/>").find("AudioSourceConfiguration"), std::string::npos);
}

TEST_F(MediaServiceTest, AMicrophoneAppearsInBothServicesAndInTheProfileOfItsStream) {
  adapter_.AddAudio();
  std::string r = Ok("<trt:GetAudioSources/>");
  EXPECT_EQ(Tokens(r, "trt:AudioSources"), std::vector<std::string>{"AudioSource_mic"});
  EXPECT_NE(r.find("<tt:Channels>1</tt:Channels>"), std::string::npos) << r;

  // The main stream carries the G.711: its default profile holds it; the
  // sub stream carries none.
  const std::string profiles = Ok("<trt:GetProfiles/>");
  const auto listed = Elements(profiles, "trt:Profiles");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_NE(listed[0].find("<tt:AudioSourceConfiguration token=\"asc_mic\">"), std::string::npos)
      << listed[0];
  const auto encoders_in_profile = Elements(listed[0], "tt:AudioEncoderConfiguration");
  ASSERT_EQ(encoders_in_profile.size(), 1u);
  EXPECT_NE(encoders_in_profile[0].find("token=\"aec_mic_g711\""), std::string::npos);
  EXPECT_NE(encoders_in_profile[0].find("<tt:Encoding>G711</tt:Encoding>"), std::string::npos);
  EXPECT_EQ(listed[1].find("Audio"), std::string::npos) << listed[1];

  // The profile's configurations equal the lists' entries and the single gets.
  r = Ok("<trt:GetAudioEncoderConfigurations/>");
  EXPECT_EQ(Tokens(r, "trt:Configurations"),
            (std::vector<std::string>{"aec_mic_g711", "aec_mic_aac"}));
  const std::string single =
      Ok("<trt:GetAudioEncoderConfiguration><trt:ConfigurationToken>aec_mic_g711"
         "</trt:ConfigurationToken></trt:GetAudioEncoderConfiguration>");
  EXPECT_EQ(Unnamed(Elements(single, "trt:Configuration").at(0)), Unnamed(encoders_in_profile[0]));
  EXPECT_EQ(Unnamed(Elements(r, "trt:Configurations").at(0)), Unnamed(encoders_in_profile[0]));
  r =
      Ok("<trt:GetAudioSourceConfiguration><trt:ConfigurationToken>asc_mic"
         "</trt:ConfigurationToken></trt:GetAudioSourceConfiguration>");
  EXPECT_NE(r.find("<tt:SourceToken>AudioSource_mic</tt:SourceToken>"), std::string::npos);
  EXPECT_NE(r.find("<tt:UseCount>1</tt:UseCount>"), std::string::npos) << r;

  // Options are the encodings as they are.
  r =
      Ok("<trt:GetAudioEncoderConfigurationOptions><trt:ConfigurationToken>aec_mic_aac"
         "</trt:ConfigurationToken></trt:GetAudioEncoderConfigurationOptions>");
  EXPECT_NE(r.find("<tt:Encoding>AAC</tt:Encoding>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:BitrateList><tt:Items>32</tt:Items></tt:BitrateList>"), std::string::npos);
  EXPECT_EQ(r.find("G711"), std::string::npos);
  r =
      Ok("<trt:GetAudioSourceConfigurationOptions><trt:ConfigurationToken>asc_mic"
         "</trt:ConfigurationToken></trt:GetAudioSourceConfigurationOptions>");
  EXPECT_NE(r.find("<tt:InputTokensAvailable>AudioSource_mic</tt:InputTokensAvailable>"),
            std::string::npos);

  // Compatible: only the audio the profile's stream carries.
  r =
      Ok("<trt:GetCompatibleAudioEncoderConfigurations><trt:ProfileToken>prof_0_main"
         "</trt:ProfileToken></trt:GetCompatibleAudioEncoderConfigurations>");
  EXPECT_EQ(Tokens(r, "trt:Configurations"), std::vector<std::string>{"aec_mic_g711"});
  r =
      Ok("<trt:GetCompatibleAudioEncoderConfigurations><trt:ProfileToken>prof_0_sub"
         "</trt:ProfileToken></trt:GetCompatibleAudioEncoderConfigurations>");
  EXPECT_TRUE(Tokens(r, "trt:Configurations").empty()) << r;

  // Media2 shows the same, with its names.
  r =
      Ok("<tr2:GetProfiles><tr2:Token>prof_0_main</tr2:Token><tr2:Type>All</tr2:Type>"
         "</tr2:GetProfiles>",
         kMedia2);
  EXPECT_NE(r.find("<tr2:AudioSource token=\"asc_mic\">"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:Encoding>PCMU</tt:Encoding>"), std::string::npos) << r;
  r =
      Ok("<tr2:GetAudioEncoderConfigurations><tr2:ProfileToken>prof_0_main</tr2:ProfileToken>"
         "</tr2:GetAudioEncoderConfigurations>",
         kMedia2);
  EXPECT_EQ(Tokens(r, "tr2:Configurations"), std::vector<std::string>{"aec_mic_g711"});
  r = Ok("<tr2:GetAudioEncoderConfigurationOptions/>", kMedia2);
  EXPECT_NE(r.find("<tt:Encoding>MP4A-LATM</tt:Encoding>"), std::string::npos) << r;
  r = Ok("<tr2:GetAudioSourceConfigurationOptions/>", kMedia2);
  EXPECT_NE(r.find("AudioSource_mic"), std::string::npos);
  r = Ok("<tr2:GetServiceCapabilities/>", kMedia2);
  EXPECT_NE(r.find("AudioEncoder"), std::string::npos) << r;
}

TEST_F(MediaServiceTest, ProfilesHoldOnlyAudioTheirStreamCarriesAndRefusalsChangeNothing) {
  adapter_.AddAudio();
  const std::string before = Ok("<trt:GetProfiles/>");
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"<trt:AddAudioEncoderConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
       "<trt:ConfigurationToken>aec_mic_aac</trt:ConfigurationToken>"
       "</trt:AddAudioEncoderConfiguration>",
       "ConfigurationConflict"},
      {"<trt:AddAudioEncoderConfiguration><trt:ProfileToken>prof_0_sub</trt:ProfileToken>"
       "<trt:ConfigurationToken>aec_mic_g711</trt:ConfigurationToken>"
       "</trt:AddAudioEncoderConfiguration>",
       "ConfigurationConflict"},
      {"<trt:AddVideoEncoderConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
       "<trt:ConfigurationToken>enc_0_sub</trt:ConfigurationToken>"
       "</trt:AddVideoEncoderConfiguration>",
       "ConfigurationConflict"},
      {"<trt:AddAudioEncoderConfiguration><trt:ProfileToken>prof_0_main</trt:ProfileToken>"
       "<trt:ConfigurationToken>nope</trt:ConfigurationToken>"
       "</trt:AddAudioEncoderConfiguration>",
       "NoConfig"},
      {"<trt:AddAudioSourceConfiguration><trt:ProfileToken>nope</trt:ProfileToken>"
       "<trt:ConfigurationToken>asc_mic</trt:ConfigurationToken>"
       "</trt:AddAudioSourceConfiguration>",
       "NoProfile"},
      {"<trt:GetAudioSourceConfiguration><trt:ConfigurationToken>nope</trt:ConfigurationToken>"
       "</trt:GetAudioSourceConfiguration>",
       "NoConfig"},
      {"<trt:GetCompatibleAudioSourceConfigurations><trt:ProfileToken>nope</trt:ProfileToken>"
       "</trt:GetCompatibleAudioSourceConfigurations>",
       "NoProfile"},
      {"<trt:SetAudioSourceConfiguration><trt:Configuration token=\"asc_mic\">"
       "<tt:Name>Mic</tt:Name><tt:UseCount>1</tt:UseCount><tt:SourceToken>VideoSource_0"
       "</tt:SourceToken></trt:Configuration><trt:ForcePersistence>true</trt:ForcePersistence>"
       "</trt:SetAudioSourceConfiguration>",
       "ConfigModify"},
      // The encodings are fixed: a new bitrate is refused.
      {AudioEncoderSet("Renamed", "32"), "ConfigModify"},
      {"<tr2:SetAudioEncoderConfiguration><tr2:Configuration token=\"aec_mic_g711\">"
       "<tt:Name>x</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>L16</tt:Encoding>"
       "<tt:Bitrate>64</tt:Bitrate><tt:SampleRate>8</tt:SampleRate></tr2:Configuration>"
       "</tr2:SetAudioEncoderConfiguration>",
       "ConfigModify"},
  };
  for (const auto& [body, fault] : refused) {
    const char* path = body.rfind("<tr2:", 0) == 0 ? kMedia2 : kMedia;
    EXPECT_EQ(FaultOf(body, path), fault) << body;
  }
  EXPECT_EQ(Ok("<trt:GetProfiles/>"), before);

  // Names are taken.
  Ok(AudioEncoderSet("Door mic", "64"));
  std::string r =
      Ok("<trt:GetAudioEncoderConfiguration><trt:ConfigurationToken>aec_mic_g711"
         "</trt:ConfigurationToken></trt:GetAudioEncoderConfiguration>");
  EXPECT_NE(r.find("<tt:Name>Door mic</tt:Name>"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:IPv4Address>239.1.1.1</tt:IPv4Address>"), std::string::npos);
  Ok("<tr2:SetAudioEncoderConfiguration><tr2:Configuration token=\"aec_mic_g711\">"
     "<tt:Name>Door</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>PCMU</tt:Encoding>"
     "<tt:Bitrate>64</tt:Bitrate><tt:SampleRate>8</tt:SampleRate></tr2:Configuration>"
     "</tr2:SetAudioEncoderConfiguration>",
     kMedia2);
  EXPECT_NE(Ok("<trt:GetProfiles/>").find("<tt:Name>Door</tt:Name>"), std::string::npos);
}

TEST_F(MediaServiceTest, AClientComposesAProfileWithAudio) {
  adapter_.AddAudio();
  // Media2: created with a video source and encoder; audio chosen by the device.
  std::string r =
      Ok("<tr2:CreateProfile><tr2:Name>VMS</tr2:Name>"
         "<tr2:Configuration><tr2:Type>VideoSource</tr2:Type></tr2:Configuration>"
         "<tr2:Configuration><tr2:Type>VideoEncoder</tr2:Type><tr2:Token>enc_0_main</tr2:Token>"
         "</tr2:Configuration></tr2:CreateProfile>",
         kMedia2);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r, m, std::regex("<tr2:Token>([^<]+)</tr2:Token>"))) << r;
  const std::string profile = m[1];
  Ok("<tr2:AddConfiguration><tr2:ProfileToken>" + profile +
         "</tr2:ProfileToken><tr2:Configuration><tr2:Type>AudioSource</tr2:Type>"
         "</tr2:Configuration><tr2:Configuration><tr2:Type>AudioEncoder</tr2:Type>"
         "</tr2:Configuration></tr2:AddConfiguration>",
     kMedia2);
  r = Ok("<trt:GetProfile><trt:ProfileToken>" + profile + "</trt:ProfileToken></trt:GetProfile>");
  EXPECT_NE(r.find("<tt:AudioSourceConfiguration token=\"asc_mic\">"), std::string::npos) << r;
  EXPECT_NE(r.find("<tt:AudioEncoderConfiguration token=\"aec_mic_g711\">"), std::string::npos);

  // Media ver10: audio first, then a stream that must carry it.
  r = Ok("<trt:CreateProfile><trt:Name>Audio</trt:Name></trt:CreateProfile>");
  const std::string audio_profile = Tokens(r, "trt:Profile").at(0);
  Ok("<trt:AddAudioSourceConfiguration><trt:ProfileToken>" + audio_profile +
     "</trt:ProfileToken><trt:ConfigurationToken>asc_mic</trt:ConfigurationToken>"
     "</trt:AddAudioSourceConfiguration>");
  Ok("<trt:AddAudioEncoderConfiguration><trt:ProfileToken>" + audio_profile +
     "</trt:ProfileToken><trt:ConfigurationToken>aec_mic_aac</trt:ConfigurationToken>"
     "</trt:AddAudioEncoderConfiguration>");
  EXPECT_EQ(FaultOf("<trt:AddVideoEncoderConfiguration><trt:ProfileToken>" + audio_profile +
                    "</trt:ProfileToken><trt:ConfigurationToken>enc_0_main"
                    "</trt:ConfigurationToken></trt:AddVideoEncoderConfiguration>"),
            "ConfigurationConflict");
  Ok("<trt:RemoveAudioEncoderConfiguration><trt:ProfileToken>" + audio_profile +
     "</trt:ProfileToken></trt:RemoveAudioEncoderConfiguration>");
  Ok("<trt:AddVideoEncoderConfiguration><trt:ProfileToken>" + audio_profile +
     "</trt:ProfileToken><trt:ConfigurationToken>enc_0_main</trt:ConfigurationToken>"
     "</trt:AddVideoEncoderConfiguration>");
  r = Ok("<trt:GetCompatibleAudioEncoderConfigurations><trt:ProfileToken>" + audio_profile +
         "</trt:ProfileToken></trt:GetCompatibleAudioEncoderConfigurations>");
  EXPECT_EQ(Tokens(r, "trt:Configurations"), std::vector<std::string>{"aec_mic_g711"});
  // The microphone is now used by three profiles.
  r =
      Ok("<trt:GetAudioSourceConfiguration><trt:ConfigurationToken>asc_mic"
         "</trt:ConfigurationToken></trt:GetAudioSourceConfiguration>");
  EXPECT_NE(r.find("<tt:UseCount>3</tt:UseCount>"), std::string::npos) << r;
}

}  // namespace
}  // namespace onvifgw::services
