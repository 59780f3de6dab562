package report

import (
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// Filter narrows the management figures. Zero fields do not filter.
type Filter struct {
	From, To    calendar.Date // London dates, both included; required
	Stage       int           // 1 or 2 for the stage figures; 0 both
	ServiceArea string
	Tenure      *complaint.Tenure
}

// Row is one line of a table of counts.
type Row struct {
	Label string `json:"label"`
	N     int    `json:"n"`
}

// Money is a line of compensation: offered, and paid (marked done).
type Money struct {
	Label        string `json:"label"`
	Offered      int    `json:"offered"`
	OfferedPence int64  `json:"offered_pence"`
	Paid         int    `json:"paid"`
	PaidPence    int64  `json:"paid_pence"`
}

// Times is how long a step took, in working days, over the cases that
// took it: the median and the 90th percentile.
type Times struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	// Histogram counts cases by working days taken; storage fills it and
	// the percentiles come from it.
	Histogram map[int]int `json:"-"`
}

// Rate is a share: Num of Den.
type Rate struct {
	Num   int     `json:"num"`
	Den   int     `json:"den"`
	Value float64 `json:"value"` // a percentage, 0 when Den is 0
}

// StageFigures are one stage's figures.
type StageFigures struct {
	Stage              int   `json:"stage"`
	Received           int   `json:"received"`
	Acknowledge        Times `json:"acknowledge"`
	Respond            Times `json:"respond"`
	AcknowledgedOnTime Rate  `json:"acknowledged_on_time"` // against the Code: 5 working days
	RespondedOnTime    Rate  `json:"responded_on_time"`    // against the Code, as CH02
	Extended           int   `json:"extended"`             // stages with any extension
	OverCodeCap        int   `json:"over_code_cap"`        // extended beyond the Code's cap
	Upheld             int   `json:"upheld"`               // points decided, by outcome
	PartlyUpheld       int   `json:"partly_upheld"`
	NotUpheld          int   `json:"not_upheld"`
	Refusals           []Row `json:"refusals"` // by exclusion
	Withdrawn          int   `json:"withdrawn"`
}

// Learning is one entry of the learning log.
type Learning struct {
	Reference   string        `json:"reference"`
	Stage       int           `json:"stage"`
	Responded   calendar.Date `json:"responded"`
	ServiceArea string        `json:"service_area"`
	Text        string        `json:"text"`
}

// Management is the management figures for a period.
type Management struct {
	Filter         Filter         `json:"-"`
	ByKind         []Row          `json:"by_kind"`
	ByChannel      []Row          `json:"by_channel"`
	ByServiceArea  []Row          `json:"by_service_area"`
	ByCategory     []Row          `json:"by_category"`
	ByMonth        []Row          `json:"by_month"` // "2026-04" ...
	Stages         []StageFigures `json:"stages"`
	Compensation   []Money        `json:"compensation"` // by kind of compensation
	ActionsOpen    int            `json:"actions_open"`
	ActionsDone    int            `json:"actions_done"`
	ActionsOverdue int            `json:"actions_overdue"` // open and past due at the end of the period
	// RepeatComplainants is how many people made two or more complaints
	// in the period.
	RepeatComplainants int        `json:"repeat_complainants"`
	Learning           []Learning `json:"learning"`
	// Compliments are the compliments passed on, by whom they praised.
	Compliments ComplimentFigures `json:"compliments"`
}
