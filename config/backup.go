package config

import (
	"strconv"
	"strings"
)

// cronMacros are the schedules PocketBase's cron accepts besides five
// fields.
var cronMacros = []string{"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}

// loadBackup reads the CONFLICTO_BACKUP_* variables. The schedule's
// fields are checked in full by PocketBase when the settings are saved at
// start (server/backups.go); here only its shape, without PocketBase.
func loadBackup(b *Backup, lookup func(string) (string, bool), get func(string) (string, bool), bad func(name, format string, a ...any)) {
	for _, name := range []string{VarBackupCron, VarBackupKeep, VarBackupS3Bucket, VarBackupS3Region,
		VarBackupS3Endpoint, VarBackupS3AccessKey, VarBackupS3Secret, VarBackupS3PathStyle} {
		if _, ok := get(name); ok {
			b.Managed = true
		}
	}

	if v, ok := get(VarBackupCron); ok {
		if !isCronShape(v) {
			bad(VarBackupCron, "%q is not a schedule (expected five cron fields such as \"0 */6 * * *\", or @hourly, @daily, @weekly, @monthly)", v)
		}
		b.Cron = v
	}
	if v, ok := get(VarBackupKeep); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxBackupKeep {
			bad(VarBackupKeep, "%q is not a whole number between 1 and %d", v, maxBackupKeep)
		} else {
			b.Keep = n
		}
	}

	s3 := &b.S3
	s3.Bucket, _ = get(VarBackupS3Bucket)
	s3.Region, _ = get(VarBackupS3Region)
	s3.Endpoint, _ = get(VarBackupS3Endpoint)
	s3.AccessKey, _ = get(VarBackupS3AccessKey)
	if v, ok := lookup(VarBackupS3Secret); ok {
		s3.Secret = v // a secret is taken as it is
	}
	if v, ok := get(VarBackupS3PathStyle); ok {
		p, err := strconv.ParseBool(v)
		if err != nil {
			bad(VarBackupS3PathStyle, "%q is not a boolean (expected true or false)", v)
		}
		s3.ForcePathStyle = p
	}
	if s3.Endpoint != "" && !strings.HasPrefix(s3.Endpoint, "http://") && !strings.HasPrefix(s3.Endpoint, "https://") {
		bad(VarBackupS3Endpoint, "%q is not an http(s) URL (expected e.g. https://s3.eu-west-1.amazonaws.com)", s3.Endpoint)
	}
	if s3.Bucket == "" {
		for _, name := range []string{VarBackupS3Region, VarBackupS3Endpoint, VarBackupS3AccessKey, VarBackupS3Secret} {
			if v, ok := lookup(name); ok && v != "" {
				bad(name, "is set but %s is not (expected both, or neither for backups in the data folder)", VarBackupS3Bucket)
			}
		}
		return
	}
	for _, r := range []struct{ name, v string }{
		{VarBackupS3Region, s3.Region}, {VarBackupS3Endpoint, s3.Endpoint},
		{VarBackupS3AccessKey, s3.AccessKey}, {VarBackupS3Secret, s3.Secret},
	} {
		if r.v == "" {
			bad(r.name, "is required when %s is set", VarBackupS3Bucket)
		}
	}
}

// isCronShape reports whether v is a cron macro or five fields of the
// characters cron uses.
func isCronShape(v string) bool {
	for _, m := range cronMacros {
		if v == m {
			return true
		}
	}
	fields := strings.Fields(v)
	if len(fields) != 5 {
		return false
	}
	for _, f := range fields {
		if strings.Trim(f, "0123456789*/,-") != "" {
			return false
		}
	}
	return true
}
