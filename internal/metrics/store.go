package metrics

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
)

// Store is what the metrics read from the database on a scrape (package
// sqldb's DB has both).
type Store interface {
	// OutboxBacklog counts the messages waiting to be sent and gives the
	// time the oldest was queued (zero when there are none).
	OutboxBacklog(ctx context.Context) (unsent int, oldest time.Time, err error)
	// OverdueByStage counts the open cases whose next deadline fell
	// before today, by stage.
	OverdueByStage(ctx context.Context, today calendar.Date) (map[int]int, error)
}

// OverdueCacheFor is how long the count of overdue cases is kept between
// scrapes: it reads an index range as long as the overdue list, and
// scrapes from several Prometheus servers, or a dashboard refreshing
// every few seconds, must not make that load on a large database.
const OverdueCacheFor = 30 * time.Second

// scrapeTimeout bounds each query a scrape makes, so a database that
// hangs makes a scrape fail rather than pile scrapes up.
const scrapeTimeout = 5 * time.Second

// WatchStore adds the gauges read from s on each scrape: the outbox's
// backlog and the overdue cases by stage. now is the app's clock, which
// says how old the oldest message is and which day it is; nil is
// clock.Wall.
func (m *Metrics) WatchStore(s Store, now func() time.Time) {
	if now == nil {
		now = clock.Wall
	}
	m.reg.MustRegister(&storeCollector{s: s, now: now, log: m.log.Warn,
		outbox: prometheus.NewDesc("redress_outbox_messages",
			"Messages in the outbox waiting to be sent (queued, or being sent).", nil, nil),
		outboxAge: prometheus.NewDesc("redress_outbox_oldest_message_age_seconds",
			"Age of the oldest message waiting to be sent; 0 when none is.", nil, nil),
		overdue: prometheus.NewDesc("redress_cases_overdue",
			"Open cases whose next deadline has passed, by stage (read at most every 30 s).", []string{"stage"}, nil),
	})
}

// storeCollector reads the store's gauges when the registry is gathered.
type storeCollector struct {
	s   Store
	now func() time.Time
	log func(msg string, args ...any)

	outbox, outboxAge, overdue *prometheus.Desc

	mu sync.Mutex
	// counted is the last count of overdue cases, read at countedAt on
	// the monotonic clock (clock.Wall's reading carries it).
	counted   map[int]int
	countedAt time.Time
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.outbox
	ch <- c.outboxAge
	ch <- c.overdue
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := c.now()
	unsent, oldest, err := c.s.OutboxBacklog(ctx)
	if err != nil {
		c.fail(ch, c.outbox, "redress_outbox_messages", err)
		c.fail(ch, c.outboxAge, "redress_outbox_oldest_message_age_seconds", err)
	} else {
		age := 0.0
		if !oldest.IsZero() {
			age = max(now.Sub(oldest).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(c.outbox, prometheus.GaugeValue, float64(unsent))
		ch <- prometheus.MustNewConstMetric(c.outboxAge, prometheus.GaugeValue, age)
	}
	overdue, err := c.overdueCases(ctx, calendar.DateOf(now))
	if err != nil {
		c.fail(ch, c.overdue, "redress_cases_overdue", err)
		return
	}
	// Both stages of a complaint are always there, at zero if need be,
	// so that a panel shows the stage rather than a gap.
	for _, stage := range []int{1, 2} {
		if _, ok := overdue[stage]; !ok {
			ch <- prometheus.MustNewConstMetric(c.overdue, prometheus.GaugeValue, 0, strconv.Itoa(stage))
		}
	}
	for stage, n := range overdue {
		ch <- prometheus.MustNewConstMetric(c.overdue, prometheus.GaugeValue, float64(n), strconv.Itoa(stage))
	}
}

// overdueCases returns the overdue counts, read again only when the last
// reading is older than OverdueCacheFor. The cache's age is measured on
// the real (monotonic) clock, not the app's, which a test may pin.
func (c *storeCollector) overdueCases(ctx context.Context, today calendar.Date) (map[int]int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counted != nil && clock.Wall().Sub(c.countedAt) < OverdueCacheFor {
		return c.counted, nil
	}
	n, err := c.s.OverdueByStage(ctx, today)
	if err != nil {
		return nil, err
	}
	c.counted, c.countedAt = n, clock.Wall()
	return n, nil
}

// fail logs a gauge that could not be read and hands the registry an
// invalid metric in its place, which the handler leaves out (with
// ContinueOnError) while serving the rest.
func (c *storeCollector) fail(ch chan<- prometheus.Metric, d *prometheus.Desc, name string, err error) {
	c.log("a metric could not be read from the database", "metric", name, "err", err)
	ch <- prometheus.NewInvalidMetric(d, fmt.Errorf("read from the database: %w", err))
}
