// Emulation clusters per year: one cluster per province per year, heads and
// deputies among the members.
#include "services/registry/tests/registry_fixture.h"

namespace registry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class ClusterTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    CreateNational();
    for (const auto& [code, name] :
         std::vector<std::pair<std::string, std::string>>{{"10", "Lào Cai"},
                                                          {"11", "Điện Biên"},
                                                          {"12", "Lai Châu"},
                                                          {"14", "Sơn La"},
                                                          {"20", "Lạng Sơn"}}) {
      ASSERT_TRUE(CreateProvince(code, name).ok());
    }
  }

  grpc::Status Create(int number, std::vector<std::string> members, const std::string& head,
                      const std::string& deputy, v1::EmulationCluster* out) {
    v1::CreateClusterRequest req;
    req.mutable_cluster()->set_year(2025);
    req.mutable_cluster()->set_number(number);
    req.mutable_cluster()->set_name("Cụm thi đua " + std::to_string(number));
    for (const auto& m : members) req.mutable_cluster()->add_member_codes(m);
    req.mutable_cluster()->set_head_code(head);
    req.mutable_cluster()->set_deputy_code(deputy);
    return stub_->CreateCluster(Admin().get(), req, out);
  }
};

TEST_F(ClusterTest, ProvinceFindsItsClusterAndRole) {
  v1::EmulationCluster cluster;
  ASSERT_TRUE(Create(1, {"10", "11", "12", "14"}, "14", "10", &cluster).ok());
  EXPECT_THAT(cluster.member_codes(), ElementsAre("10", "11", "12", "14"));
  v1::GetClusterOfRequest req;
  req.set_code("14");
  req.set_year(2025);
  v1::ClusterMembership membership;
  ASSERT_TRUE(stub_->GetClusterOf(Admin().get(), req, &membership).ok());
  EXPECT_EQ(membership.cluster().number(), 1);
  EXPECT_EQ(membership.role(), v1::CLUSTER_ROLE_HEAD);
  req.set_code("11");
  ASSERT_TRUE(stub_->GetClusterOf(Admin().get(), req, &membership).ok());
  EXPECT_EQ(membership.role(), v1::CLUSTER_ROLE_MEMBER);
  req.set_year(2024);
  EXPECT_EQ(stub_->GetClusterOf(Admin().get(), req, &membership).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ClusterTest, SecondClusterForTheSameProvinceAndYearIsRefused) {
  v1::EmulationCluster cluster;
  ASSERT_TRUE(Create(1, {"10", "11", "14"}, "", "", &cluster).ok());
  grpc::Status status = Create(2, {"20", "14"}, "20", "", &cluster);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("14 is already in cluster 1 for 2025"), std::string::npos);
  v1::ListClustersRequest list;
  list.set_year(2025);
  v1::ListClustersResponse clusters;
  ASSERT_TRUE(stub_->ListClusters(Admin().get(), list, &clusters).ok());
  EXPECT_EQ(clusters.clusters_size(), 1);  // nothing half-written
}

TEST_F(ClusterTest, HeadAndDeputyMustBeDistinctMembers) {
  v1::EmulationCluster cluster;
  grpc::Status status = Create(1, {"10", "11"}, "20", "20", &cluster);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), UnorderedElementsAre("cluster.head_code", "cluster.deputy_code",
                                                     "cluster.deputy_code"));
}

TEST_F(ClusterTest, MovingAProvinceBetweenClustersKeepsOneClusterEach) {
  v1::EmulationCluster one, two;
  ASSERT_TRUE(Create(1, {"10", "11", "14"}, "", "", &one).ok());
  ASSERT_TRUE(Create(2, {"20"}, "", "", &two).ok());
  // Move 14 from cluster 1 to cluster 2: first out of 1, then into 2.
  v1::UpdateClusterRequest update;
  *update.mutable_cluster() = one;
  update.mutable_cluster()->clear_member_codes();
  update.mutable_cluster()->add_member_codes("10");
  update.mutable_cluster()->add_member_codes("11");
  ASSERT_TRUE(stub_->UpdateCluster(Admin().get(), update, &one).ok());
  *update.mutable_cluster() = two;
  update.mutable_cluster()->add_member_codes("14");
  ASSERT_TRUE(stub_->UpdateCluster(Admin().get(), update, &two).ok());
  EXPECT_THAT(two.member_codes(), ElementsAre("14", "20"));
  v1::ListOrganizationsRequest list;
  list.set_cluster_year(2025);
  list.set_cluster_number(2);
  list.set_as_of("2025-06-01");
  v1::ListOrganizationsResponse members;
  ASSERT_TRUE(stub_->ListOrganizations(Admin().get(), list, &members).ok());
  EXPECT_EQ(members.organizations_size(), 2);
}

TEST_F(ClusterTest, OnlyTheNationalOfficeDefinesClusters) {
  v1::CreateClusterRequest req;
  req.mutable_cluster()->set_year(2025);
  req.mutable_cluster()->set_number(1);
  req.mutable_cluster()->set_name("Cụm 1");
  req.mutable_cluster()->add_member_codes("14");
  v1::EmulationCluster out;
  EXPECT_EQ(stub_->CreateCluster(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace registry::testing
