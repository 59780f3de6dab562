package sqldb

import (
	"context"
	"testing"
)

func TestSchemaVersionsAreCurrentAfterOpenAndFailWhenClosed(t *testing.T) {
	db := openTemp(t)
	applied, known, err := db.SchemaVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := SchemaVersion("redress.db")
	if db.d.name == postgresDialect.name {
		want = SchemaVersion("postgres://")
	}
	if applied != want || known != want {
		t.Errorf("applied %d, known %d, want %d: a freshly opened database should be current", applied, known, want)
	}
	db.Close()
	if _, _, err := db.SchemaVersions(context.Background()); err == nil {
		t.Error("a closed database reported its schema version")
	}
}
