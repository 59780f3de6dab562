package report

import "github.com/redresshq/redress/internal/complaint"

func complaintTenure(s string) complaint.Tenure { return complaint.Tenure(s) }
