package webui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// largeHomesFile is the most tenancies a homes file may hold for its
// import to run within the request. A larger one runs while the page
// shows its progress: a register of 100,000 tenancies takes some
// seconds, longer than anyone should stare at a loading browser, and a
// proxy might give up on the request first.
const largeHomesFile = 5000

// homesJobTimeout bounds a background import; homesJobKept is how long
// its report stays to be read once it has finished.
const (
	homesJobTimeout = 10 * time.Minute
	homesJobKept    = time.Hour
)

// homesJob is an import of a large homes file running in the background.
// It lives in this process's memory: the import itself is one
// transaction, so a process that stops mid-way applies nothing, and the
// person is told to import again; the page showing it must reach the
// instance that runs it (sticky sessions where several serve one
// database).
type homesJob struct {
	mu       sync.Mutex
	userID   int64
	file     string
	dryRun   bool
	done     int
	total    int
	finished time.Time
	report   *store.RegisterReport
	failed   bool
}

// homesJobs are the background imports, by an id that only the person
// who started one is told.
type homesJobs struct {
	mu   sync.Mutex
	jobs map[string]*homesJob
}

// start runs the import of f in the background and returns its id.
func (s *Server) startHomesJob(f *tenancy.File, imp store.RegisterImport, userID int64, file string) string {
	b := make([]byte, 16)
	rand.Read(b)
	id := hex.EncodeToString(b)
	job := &homesJob{userID: userID, file: file, dryRun: imp.DryRun, total: len(f.Tenancies)}
	s.imports.mu.Lock()
	if s.imports.jobs == nil {
		s.imports.jobs = map[string]*homesJob{}
	}
	// Finished jobs are forgotten once their report has been kept long
	// enough to read.
	for k, j := range s.imports.jobs {
		j.mu.Lock()
		old := !j.finished.IsZero() && s.Now().Sub(j.finished) > homesJobKept
		j.mu.Unlock()
		if old {
			delete(s.imports.jobs, k)
		}
	}
	s.imports.jobs[id] = job
	s.imports.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), homesJobTimeout)
		defer cancel()
		rep, err := s.Store.ImportRegister(ctx, f, imp, func(done, total int) {
			job.mu.Lock()
			job.done, job.total = done, total
			job.mu.Unlock()
		})
		job.mu.Lock()
		defer job.mu.Unlock()
		job.finished = s.Now()
		if err != nil {
			job.failed = true
			s.Log.Error("register import failed", "user_id", userID, "err", err)
			return
		}
		job.report = &rep
		if !imp.DryRun {
			s.Log.Info("register imported", "user_id", userID, "rows", rep.Rows, "tenancies_added", rep.TenanciesAdded, "tenancies_changed", rep.TenanciesChanged)
		}
	}()
	return id
}

// homesJobPage shows a background import: its progress while it runs
// (a <progress> bar and a button to look again, since the page works
// without JavaScript and does not refresh itself), then its report.
func (s *Server) homesJobPage(w http.ResponseWriter, r *http.Request) error {
	s.imports.mu.Lock()
	job := s.imports.jobs[r.PathValue("id")]
	s.imports.mu.Unlock()
	if job == nil || job.userID != userOf(r).ID {
		return complaint.Errorf(complaint.NotFound, "there is no such import: an import's progress is kept for an hour after it ends, and on the server that ran it")
	}
	job.mu.Lock()
	v := homesImportView{File: job.file, Job: &homesJobView{ID: r.PathValue("id"), Done: job.done, Total: job.total, DryRun: job.dryRun,
		Running: job.finished.IsZero(), Failed: job.failed}}
	if job.report != nil {
		rep := *job.report
		v.Report, v.Rows, v.Changes = &rep, rep.Rows, rep.Changes
		if len(v.Changes) > shownChanges {
			v.Changes, v.More = v.Changes[:shownChanges], len(v.Changes)-shownChanges
		}
	}
	job.mu.Unlock()
	if v.Job.Running && v.Job.Total > 0 {
		v.Job.Percent = v.Job.Done * 100 / v.Job.Total
	}
	status := http.StatusOK
	if v.Job.Failed {
		status = http.StatusInternalServerError
	}
	s.renderHomesImport(w, r, status, nil, nil, v)
	return nil
}

// homesJobView is a background import as its page shows it.
type homesJobView struct {
	ID                      string
	Done, Total, Percent    int
	DryRun, Running, Failed bool
}
