package hostaddr

import "testing"

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"example.org:8080": "example.org", "[::1]:8080": "::1", "::1": "::1", "[::1]": "::1", "laptop": "laptop", ":8080": "", "": "",
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoopback(t *testing.T) {
	for in, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:8080": true, "[::1]:8080": true, "127.0.0.2:80": true, "localhost": true,
		"LocalHost.:80": true, "app.localhost:8080": true, "::1": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.20:8080": false, "[::]:8080": false, "nonsense": false,
		"localhost.example.org": false, "evil-localhost:80": false, "": false,
	} {
		if got := Loopback(in); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestLoopbackPeer(t *testing.T) {
	for in, want := range map[string]bool{
		"127.0.0.1:51234": true, "[::1]:51234": true, "192.168.1.20:51234": false, "localhost:51234": false, "": false,
	} {
		if got := LoopbackPeer(in); got != want {
			t.Errorf("LoopbackPeer(%q) = %v, want %v", in, got, want)
		}
	}
}
