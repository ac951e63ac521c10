// Package extproc is the gateway's side of Envoy's external-processing protocol (envoy.service.ext_proc.v3), as a
// gateway talks to an Endpoint Picker: request headers, then the body (one chunk, end of stream), then, once the
// chosen model server has answered, the response headers and body. It reads what the EPP decides: the destination
// endpoint (header x-gateway-destination-endpoint and the envoy.lb dynamic metadata, pkg/epp/handlers/request.go
// @v0.3.0 and @v1.4.0), the header and body mutations, or an immediate response (429 when shed, 404 for a model a
// v0.3.0 EPP does not know: pkg/epp/handlers/server.go@v0.3.0 BuildErrResponse).
package extproc

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	extprocv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// DestinationEndpointKey is the header and metadata key of the chosen endpoint (pkg/epp/metadata/consts.go@v1.4.0;
// the --destinationEndpointHintKey default at v0.3.0, pkg/epp/server/runserver.go@v0.3.0).
const DestinationEndpointKey = "x-gateway-destination-endpoint"

// Client is one gRPC connection to an EPP's ext_proc port.
type Client struct {
	conn *grpc.ClientConn
	api  extprocv3.ExternalProcessorClient
}

// Dial connects; with secure, over TLS without verifying the EPP's self-signed certificate, as the gateways
// configure it (the chart's Istio DestinationRule: tls SIMPLE, insecureSkipVerify).
func Dial(address string, secure bool) (*Client, error) {
	creds := insecure.NewCredentials()
	if secure {
		creds = credentials.NewTLS(&tls.Config{InsecureSkipVerify: true}) //nolint:gosec // the EPP serves a self-signed certificate
	}
	conn, err := grpc.NewClient(address, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, api: extprocv3.NewExternalProcessorClient(conn)}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Request is what the gateway received from the client.
type Request struct {
	Path    string
	Headers map[string]string
	Body    []byte
}

// Answer is what the EPP decided for one request.
type Answer struct {
	// Endpoint is the destination endpoint header the EPP set (ip:port); empty when it set none.
	Endpoint string
	// MetadataEndpoint is the same from the envoy.lb dynamic metadata.
	MetadataEndpoint string
	// Headers are the request headers the EPP set, lower-cased.
	Headers map[string]string
	// Body is the request body after the EPP's mutations (the original when it changed nothing).
	Body []byte
	// Status is the immediate response's HTTP status when the EPP answered the request itself (e.g. 429 shed).
	Status int
	// ImmediateBody is the immediate response's body.
	ImmediateBody string
}

// Upstream forwards the mutated request to the chosen endpoint and returns the model server's status and body.
type Upstream func(ctx context.Context, endpoint string, body []byte) (int, []byte, error)

// Process runs one request through the EPP. When the EPP picks an endpoint, upstream is called and its answer is
// sent back through the stream as the response phase, as Envoy does; a gRPC error is returned as an error.
func (c *Client) Process(ctx context.Context, req Request, upstream Upstream) (Answer, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.api.Process(ctx)
	if err != nil {
		return Answer{}, err
	}
	if err := stream.Send(requestHeaders(req)); err != nil {
		return Answer{}, err
	}
	if err := stream.Send(&extprocv3.ProcessingRequest{Request: &extprocv3.ProcessingRequest_RequestBody{
		RequestBody: &extprocv3.HttpBody{Body: req.Body, EndOfStream: true}}}); err != nil {
		return Answer{}, err
	}
	ans := Answer{Headers: map[string]string{}}
	var body []byte
	bodyMutated := false
	for done := false; !done; {
		resp, err := stream.Recv()
		if err != nil {
			return ans, fmt.Errorf("ext_proc stream ended before the request phase did: %w", err)
		}
		readMetadata(resp, &ans)
		switch r := resp.Response.(type) {
		case *extprocv3.ProcessingResponse_ImmediateResponse:
			ans.Status = int(r.ImmediateResponse.GetStatus().GetCode())
			ans.ImmediateBody = string(r.ImmediateResponse.GetBody())
			_ = stream.CloseSend()
			return ans, nil
		case *extprocv3.ProcessingResponse_RequestHeaders:
			readHeaders(r.RequestHeaders.GetResponse(), &ans)
		case *extprocv3.ProcessingResponse_RequestBody:
			common := r.RequestBody.GetResponse()
			readHeaders(common, &ans)
			switch m := common.GetBodyMutation().GetMutation().(type) {
			case *extprocv3.BodyMutation_Body: // buffered server: the whole body at once
				body, bodyMutated, done = m.Body, true, true
			case *extprocv3.BodyMutation_StreamedResponse: // streaming server: chunks until end of stream
				body, bodyMutated = append(body, m.StreamedResponse.GetBody()...), true
				done = m.StreamedResponse.GetEndOfStream()
			default:
				done = true
			}
		default:
			return ans, fmt.Errorf("ext_proc: unexpected %T during the request phase", r)
		}
	}
	ans.Body = req.Body
	if bodyMutated {
		ans.Body = body
	}
	if ans.Endpoint == "" || upstream == nil {
		_ = stream.CloseSend()
		return ans, nil
	}
	status, respBody, err := upstream(ctx, firstEndpoint(ans.Endpoint), ans.Body)
	if err != nil {
		return ans, fmt.Errorf("forwarding to %s: %w", ans.Endpoint, err)
	}
	return ans, respond(stream, status, respBody)
}

// respond sends the model server's answer through the stream and reads the EPP's replies until it closes.
func respond(stream extprocv3.ExternalProcessor_ProcessClient, status int, body []byte) error {
	if err := stream.Send(&extprocv3.ProcessingRequest{Request: &extprocv3.ProcessingRequest_ResponseHeaders{
		ResponseHeaders: &extprocv3.HttpHeaders{Headers: headerMap(map[string]string{
			":status": fmt.Sprint(status), "content-type": "application/json"})}}}); err != nil {
		return err
	}
	if err := stream.Send(&extprocv3.ProcessingRequest{Request: &extprocv3.ProcessingRequest_ResponseBody{
		ResponseBody: &extprocv3.HttpBody{Body: body, EndOfStream: true}}}); err != nil {
		return err
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	for {
		if _, err := stream.Recv(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("ext_proc response phase: %w", err)
		}
	}
}

func requestHeaders(req Request) *extprocv3.ProcessingRequest {
	h := map[string]string{":method": "POST", ":path": req.Path, ":scheme": "http", ":authority": "replay.local",
		"content-type": "application/json", "content-length": fmt.Sprint(len(req.Body))}
	for k, v := range req.Headers {
		h[strings.ToLower(k)] = v
	}
	return &extprocv3.ProcessingRequest{Request: &extprocv3.ProcessingRequest_RequestHeaders{
		RequestHeaders: &extprocv3.HttpHeaders{Headers: headerMap(h)}}}
}

func headerMap(h map[string]string) *corev3.HeaderMap {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m := &corev3.HeaderMap{}
	for _, k := range keys {
		// Envoy sends raw_value (bytes); the EPPs read RawValue (pkg/epp/handlers/request.go@v1.4.0 and @v0.5.1).
		m.Headers = append(m.Headers, &corev3.HeaderValue{Key: k, RawValue: []byte(h[k])})
	}
	return m
}

func readHeaders(common *extprocv3.CommonResponse, ans *Answer) {
	for _, o := range common.GetHeaderMutation().GetSetHeaders() {
		key := strings.ToLower(o.GetHeader().GetKey())
		value := string(o.GetHeader().GetRawValue())
		if value == "" {
			value = o.GetHeader().GetValue()
		}
		ans.Headers[key] = value
		if key == DestinationEndpointKey {
			ans.Endpoint = value
		}
	}
}

func readMetadata(resp *extprocv3.ProcessingResponse, ans *Answer) {
	lb := resp.GetDynamicMetadata().GetFields()["envoy.lb"].GetStructValue()
	if v := lb.GetFields()[DestinationEndpointKey].GetStringValue(); v != "" {
		ans.MetadataEndpoint = v
	}
}

// firstEndpoint is the first of a comma-separated list (v1.x may name fallbacks: pkg/epp/requestcontrol/director.go
// @v1.0.2 multiEndpointString).
func firstEndpoint(list string) string {
	return strings.TrimSpace(strings.Split(list, ",")[0])
}
